/**
 * 活动报名 and 签到/签退, pure: who may sign up for a published activity (capacity, idempotent
 * re-sign-up), who may check in (signed up, inside the activity's window) and out (after checking
 * in), and the service hours a check-out credits. No I/O: the server serializes decisions per
 * activity and persists what these functions answer; the phone shows the same reasons.
 */
import type { RefusalCode } from './codes.js';
import { haversineM, type LatLon } from './candidates.js';
import { fail, ok, type Result } from './result.js';

export const ActivityStatus = { published: 'published', cancelled: 'cancelled' } as const;
export type ActivityStatus = (typeof ActivityStatus)[keyof typeof ActivityStatus];

export interface Activity {
  id: string;
  title: string;
  /** A service category as the console lists them (shared/candidates.ts ORDER_CATEGORIES). */
  category: string;
  /** Where it is held: a 站 or a 点. */
  nodeId: string;
  /** The node's 所, derived from the node when published. */
  instituteId: string;
  startsAt: number;
  endsAt: number;
  capacity: number;
  /** The brand it belongs to (the brand ids articles cite, B001…); '' when none. */
  brandId: string;
  status: ActivityStatus;
}

/** One volunteer's place on an activity: signed up, then checked in, then out. */
export interface Participation {
  volunteerId: string;
  signedUpAt: number;
  /** The check-in event's id and time; null before checking in. */
  checkin: { eventId: string; at: number } | null;
  checkout: { eventId: string; at: number; hours: number } | null;
}

export const ActivityCode = {
  notFound: 'ACTIVITY_NOT_FOUND',
  cancelled: 'ACTIVITY_CANCELLED',
  full: 'ACTIVITY_FULL',
  ended: 'ACTIVITY_ENDED',
  notSignedUp: 'ACTIVITY_NOT_SIGNED_UP',
  outsideWindow: 'ACTIVITY_OUTSIDE_WINDOW',
  notCheckedIn: 'ACTIVITY_NOT_CHECKED_IN',
  checkedIn: 'ACTIVITY_ALREADY_CHECKED_IN',
  invalid: 'ACTIVITY_INVALID',
  scanTooOld: 'ACTIVITY_SCAN_TOO_OLD',
  unknownPlace: 'ACTIVITY_UNKNOWN_PLACE',
  unknownBrand: 'ACTIVITY_UNKNOWN_BRAND',
  outOfTown: 'ACTIVITY_PLACE_OUT_OF_TOWN',
} as const satisfies Record<string, RefusalCode>;
export type ActivityCode = (typeof ActivityCode)[keyof typeof ActivityCode];

/** A volunteer may check in this long before the start (people arrive early); hours count from the start. */
export const CHECKIN_EARLY_MS = 30 * 60_000;
/** "500米新时代文明实践圈": a check-in within this distance of the node counts as on site. */
export const NEAR_M = 500;
/**
 * A scan made offline is sent when the phone is back; one kept longer than this is refused
 * (ACTIVITY_SCAN_TOO_OLD), so a phone left in a drawer cannot credit last week's hours.
 */
export const SCAN_MAX_AGE_MS = 24 * 3_600_000;
/** Clocks of phones run a little ahead; a scan this far in the future still counts as now. */
export const SCAN_CLOCK_SKEW_MS = 2 * 60_000;

/** When a scan counts: the phone's time of the scan (it may be sent later), within bounds. */
export function scanTime(phoneAt: number, now: number): Result<number> {
  if (phoneAt < now - SCAN_MAX_AGE_MS) return fail(ActivityCode.scanTooOld, 'scanned too long ago');
  return ok(Math.min(phoneAt, now));
}

/** Most places an activity may offer (a square dance, not a stadium). */
export const MAX_CAPACITY = 2_000;

/** Sign-ups that hold a place (a cancelled sign-up is dropped from the roster, not kept). */
export const placesLeft = (activity: Activity, roster: ReadonlyMap<string, Participation>): number =>
  Math.max(0, activity.capacity - roster.size);

/** `signed` takes a place; `already` means this volunteer held one (a repeated tap is not a second place). */
export type SignupOutcome = 'signed' | 'already';

export function decideSignup(
  activity: Activity,
  roster: ReadonlyMap<string, Participation>,
  volunteerId: string,
  now: number,
): Result<SignupOutcome> {
  if (activity.status === ActivityStatus.cancelled) return fail(ActivityCode.cancelled, 'the activity was cancelled');
  if (roster.has(volunteerId)) return ok('already');
  if (now >= activity.endsAt) return fail(ActivityCode.ended, 'the activity is over');
  if (roster.size >= activity.capacity) return fail(ActivityCode.full, `all ${activity.capacity} places are taken`);
  return ok('signed');
}

/** `withdrawn` frees the place; `none` means there was nothing to withdraw (idempotent). */
export type WithdrawOutcome = 'withdrawn' | 'none';

export function decideWithdraw(
  roster: ReadonlyMap<string, Participation>,
  volunteerId: string,
): Result<WithdrawOutcome> {
  const mine = roster.get(volunteerId);
  if (!mine) return ok('none');
  // A place someone checked in on has been used: withdrawing it would unmake served hours.
  if (mine.checkin) return fail(ActivityCode.checkedIn, 'already checked in: check out instead');
  return ok('withdrawn');
}

/** The window a check-in is taken in: from a little before the start to the end. */
export const inCheckinWindow = (activity: Activity, at: number): boolean =>
  at >= activity.startsAt - CHECKIN_EARLY_MS && at < activity.endsAt;

/** `checkin` records a new check-in; `already` answers the one this volunteer made before. */
export type CheckinOutcome = 'checkin' | 'already';

export function decideCheckin(activity: Activity, mine: Participation | undefined, at: number): Result<CheckinOutcome> {
  if (activity.status === ActivityStatus.cancelled) return fail(ActivityCode.cancelled, 'the activity was cancelled');
  if (!mine) return fail(ActivityCode.notSignedUp, 'not signed up for this activity');
  if (mine.checkin) return ok('already');
  if (!inCheckinWindow(activity, at)) return fail(ActivityCode.outsideWindow, 'not within the activity’s time');
  return ok('checkin');
}

export type CheckoutOutcome = { kind: 'checkout'; hours: number } | { kind: 'already'; hours: number };

export function decideCheckout(
  activity: Activity,
  mine: Participation | undefined,
  at: number,
): Result<CheckoutOutcome> {
  if (!mine?.checkin) return fail(ActivityCode.notCheckedIn, 'not checked in');
  if (mine.checkout) return ok({ kind: 'already', hours: mine.checkout.hours });
  if (at < mine.checkin.at) return fail(ActivityCode.invalid, 'check-out before check-in');
  return ok({ kind: 'checkout', hours: serviceHours(activity, mine.checkin.at, at) });
}

/**
 * 志愿时长: check-out − check-in, bounded by the activity's window (arriving early or forgetting to
 * check out credits no extra hours), in hours to two decimals, rounded down so the credit never
 * exceeds the time served.
 */
export function serviceHours(activity: Activity, checkinAt: number, checkoutAt: number): number {
  const from = Math.max(checkinAt, activity.startsAt);
  const to = Math.min(checkoutAt, activity.endsAt);
  return to <= from ? 0 : Math.floor((to - from) / 36_000) / 100;
}

/** Applies a decided step to a volunteer's participation (the roster's entry); pure. */
export type Step =
  | { kind: 'signup'; volunteerId: string; at: number }
  | { kind: 'withdraw'; volunteerId: string }
  | { kind: 'checkin'; volunteerId: string; eventId: string; at: number }
  | { kind: 'checkout'; volunteerId: string; eventId: string; at: number; hours: number };

export function applyStep(roster: ReadonlyMap<string, Participation>, step: Step): Map<string, Participation> {
  const next = new Map(roster);
  const mine = next.get(step.volunteerId);
  switch (step.kind) {
    case 'signup':
      if (!mine)
        next.set(step.volunteerId, {
          volunteerId: step.volunteerId,
          signedUpAt: step.at,
          checkin: null,
          checkout: null,
        });
      return next;
    case 'withdraw':
      next.delete(step.volunteerId);
      return next;
    case 'checkin':
      if (mine && !mine.checkin)
        next.set(step.volunteerId, { ...mine, checkin: { eventId: step.eventId, at: step.at } });
      return next;
    case 'checkout':
      if (mine?.checkin && !mine.checkout)
        next.set(step.volunteerId, { ...mine, checkout: { eventId: step.eventId, at: step.at, hours: step.hours } });
      return next;
  }
}

/** How far a phone stood from the node, and whether that is on site; null when the phone gave no position. */
export function nearness(phone: LatLon | null, node: LatLon): { distanceM: number; near: boolean } | null {
  if (!phone) return null;
  const distanceM = haversineM(phone, node);
  return { distanceM, near: distanceM <= NEAR_M };
}

export interface AtNode<A extends Activity = Activity> {
  activity: A;
  mine: Participation | undefined;
}
export type ScanAction = 'checkin' | 'checkout';
export interface ScanDecision<A extends Activity = Activity> {
  activity: A;
  mine: Participation;
  /** 'checkin' / 'checkout': a new step to record; 'already': the volunteer's earlier one stands. */
  outcome: 'checkin' | 'checkout' | 'already';
  /** The hours a check-out credits (also for an earlier one); 0 for a check-in. */
  hours: number;
}

/**
 * What a scan of a node's code at `at` does, given the activities held at that node and the
 * volunteer's place on each: a check-in on the signed-up activity whose check-in window holds
 * `at`, a check-out of the one they are checked in on. A refusal says the first thing that stands
 * in the way: no sign-up at this node, the activity cancelled, not its time, not checked in.
 */
export function decideScan<A extends Activity>(
  atNode: readonly AtNode<A>[],
  action: ScanAction,
  at: number,
): Result<ScanDecision<A>> {
  const mine = atNode.flatMap((c) => (c.mine ? [{ activity: c.activity, mine: c.mine }] : []));
  const open = mine.find((c) => c.mine.checkin !== null && c.mine.checkout === null);
  if (action === 'checkout') {
    if (open) {
      const out = decideCheckout(open.activity, open.mine, at);
      return out.ok ? ok({ ...open, outcome: 'checkout', hours: out.data.hours }) : out;
    }
    const done = mine.find((c) => c.mine.checkout !== null);
    if (done) return ok({ ...done, outcome: 'already', hours: done.mine.checkout?.hours ?? 0 });
    return fail(ActivityCode.notCheckedIn, 'not checked in at this place');
  }
  if (open) return ok({ ...open, outcome: 'already', hours: 0 });
  if (mine.length === 0) return fail(ActivityCode.notSignedUp, 'not signed up for an activity at this place');
  const refusals: Result<CheckinOutcome>[] = [];
  for (const c of mine) {
    const d = decideCheckin(c.activity, c.mine, at);
    if (d.ok && d.data === 'checkin') return ok({ ...c, outcome: 'checkin', hours: 0 });
    refusals.push(d);
  }
  // Every place here is used up or out of its time: say why, preferring "not its time".
  const reasons = refusals.flatMap((r) => (r.ok ? [] : [r]));
  return (
    reasons.find((r) => r.error.code === ActivityCode.outsideWindow) ??
    reasons[0] ??
    fail(ActivityCode.outsideWindow, 'already served here; no other activity now')
  );
}
