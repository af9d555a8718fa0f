/**
 * The open activities and everyone's place on them, in memory: the authority while the server runs
 * (sign-ups are decided here, one at a time, so capacity holds), rebuilt at start from the store —
 * the activities and sign-ups tables and the check-in / check-out events of those activities.
 */
import { applyStep, type Participation, type Step } from '../../shared/activities.js';
import { activitiesEndingAfter, attendanceOf, signupsOf, type ActivityRecord } from '../store/activity-repository.js';
import type { Transport } from '../store/transport.js';

/** Activities ended longer ago than this are let go: a check-out this late would credit nothing new. */
export const KEEP_AFTER_END_MS = 2 * 86_400_000;

export class ActivityBoard {
  readonly activities = new Map<string, ActivityRecord>();
  private readonly rosters = new Map<string, ReadonlyMap<string, Participation>>();

  async load(store: Transport, now: number): Promise<void> {
    const records = await activitiesEndingAfter(store, now - KEEP_AFTER_END_MS);
    for (const a of records) this.put(a);
    const ids = records.map((a) => a.id);
    for (const s of await signupsOf(store, ids))
      this.step(s.activityId, { kind: 'signup', volunteerId: s.volunteerId, at: s.signedUpAt });
    const earliest = Math.min(now, ...records.map((a) => a.startsAt)) - 86_400_000;
    for (const e of await attendanceOf(store, ids, earliest)) {
      if (e.type === 'checkin')
        this.step(e.activityId, { kind: 'checkin', volunteerId: e.volunteerId, eventId: e.id, at: e.ts });
      else
        this.step(e.activityId, {
          kind: 'checkout',
          volunteerId: e.volunteerId,
          eventId: e.id,
          at: e.ts,
          hours: e.hours,
        });
    }
  }

  put(a: ActivityRecord): void {
    this.activities.set(a.id, a);
    if (!this.rosters.has(a.id)) this.rosters.set(a.id, new Map());
  }

  roster(activityId: string): ReadonlyMap<string, Participation> {
    return this.rosters.get(activityId) ?? new Map();
  }

  step(activityId: string, step: Step): void {
    if (!this.activities.has(activityId)) return;
    this.rosters.set(activityId, applyStep(this.roster(activityId), step));
  }

  /** Puts a roster back as it was (a check-in ingest refused). */
  restore(activityId: string, roster: ReadonlyMap<string, Participation>): void {
    if (this.activities.has(activityId)) this.rosters.set(activityId, roster);
  }

  /** Sign-ups, check-ins and check-outs of an activity now. */
  counts(activityId: string): { signedUp: number; checkedIn: number; checkedOut: number } {
    let checkedIn = 0;
    let checkedOut = 0;
    const roster = this.roster(activityId);
    for (const p of roster.values()) {
      if (p.checkin) checkedIn += 1;
      if (p.checkout) checkedOut += 1;
    }
    return { signedUp: roster.size, checkedIn, checkedOut };
  }

  /** The participation holding this check-in or check-out event id, to answer a re-sent scan. */
  byEventId(eventId: string): { activityId: string; mine: Participation } | undefined {
    for (const [activityId, roster] of this.rosters)
      for (const mine of roster.values())
        if (mine.checkin?.eventId === eventId || mine.checkout?.eventId === eventId) return { activityId, mine };
    return undefined;
  }

  /** Drops activities long over, so memory holds only the open ones and their recent past. */
  prune(now: number): void {
    for (const [id, a] of this.activities) {
      if (a.endsAt > now - KEEP_AFTER_END_MS) continue;
      this.activities.delete(id);
      this.rosters.delete(id);
    }
  }
}
