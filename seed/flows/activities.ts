/**
 * Live practice activities, timed as the history's (seed/history/activities.sql, constants in
 * seed/rhythm.ts): an activity starts on a half-hour slot, its participants (volunteers of the
 * venue's station) check in around the start and out around its end, 1.5 to 4 hours later, and a
 * check-out credits the hours in between. `timeScale` > 1 compresses every span for load runs.
 */
import type { PracticeEvent } from '../../shared/events.js';
import type { NetworkNode } from '../../shared/network.js';
import { CHECKIN_WINDOW_MIN, CHECKOUT_WINDOW_MIN, DURATION_MIN, PARTICIPANTS } from '../rhythm.js';
import type { FlowContext } from './context.js';
import type { RunningActivity } from './media.js';

interface Activity {
  id: string;
  venue: NetworkNode;
  /** Due check-in and check-out times, each ascending. */
  checkins: number[];
  checkouts: number[];
  /** Next k for localVolunteer: walking k keeps one activity's volunteers distinct. */
  nextK: number;
  /** Checked in and not out; `scale` turns the time between into hours (adopted ones ran in real time). */
  present: { index: number; name: string; at: number; scale: number }[];
}

/** A volunteer the store holds checked in and not out (server/store/in-progress-repository.ts). */
export interface OpenCheckin {
  activityId: string;
  nodeId: string;
  volunteerId: string;
  volunteerName: string;
  at: number;
}

export interface ActivityFlow {
  /** Opens an activity starting at `start` (its first check-ins may fall before it). */
  open(start: number): void;
  /**
   * Takes on activities already running (the history's, or an earlier run's): each ends as the
   * history would have it, its volunteers checking out after it; one long over checks out soon.
   */
  adopt(open: readonly OpenCheckin[], now: number): void;
  /** The check-ins and check-outs due by `now`, in time order per activity. */
  step(now: number): PracticeEvent[];
  /** A running activity for an article to report on, if any. */
  running(): RunningActivity | undefined;
}

/** Bounds on live state, so a sped-up simulator can run for weeks: beyond it new activities are skipped. */
const MAX_OPEN = 400;
const MINUTE = 60_000;
const HOUR = 3_600_000;

export function activityFlow(ctx: FlowContext, timeScale = 1): ActivityFlow {
  const { rng } = ctx;
  const open: Activity[] = [];
  const busy = new Set<number>();
  const span = (minutes: number): number => (minutes * MINUTE) / timeScale;
  const within = (from: number, width: number): number => Math.floor(from + rng.next() * span(width));

  const checkin = (a: Activity, at: number): PracticeEvent | null => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const index = ctx.localVolunteer(a.venue, a.nextK++);
      if (busy.has(index)) {
        a.nextK = rng.int(0, 10_000); // another activity is walking this stretch of the station's list
        continue;
      }
      const v = ctx.volunteer(index);
      busy.add(index);
      a.present.push({ index, name: v.name, at, scale: timeScale });
      const who = { volunteerId: v.id, activityId: a.id, volunteerName: v.name };
      return { ...ctx.envelope(a.venue.id, at), type: 'checkin', ...who };
    }
    return null; // the station has no one free: the activity is as full as it gets
  };

  const checkout = (a: Activity, at: number): PracticeEvent | null => {
    const p = a.present.shift();
    if (!p) return null;
    busy.delete(p.index);
    // The hours the county would credit: real time, whatever the compression.
    const hours = Math.min(24, Math.round(((at - p.at) * p.scale * 100) / HOUR) / 100);
    const who = { volunteerId: ctx.volunteerRef(p.index).id, activityId: a.id, volunteerName: p.name, hours };
    return { ...ctx.envelope(a.venue.id, at), type: 'checkout', ...who };
  };

  return {
    open(start) {
      if (open.length >= MAX_OPEN) return;
      const size = PARTICIPANTS.min + rng.int(0, PARTICIPANTS.span - 1);
      const end = start + span(DURATION_MIN.min) + rng.next() * span(DURATION_MIN.span);
      const times = (from: number, width: number) =>
        Array.from({ length: size }, () => within(from, width)).sort((x, y) => x - y);
      open.push({
        id: ctx.nextId('ACT'),
        venue: rng.pick(ctx.venues),
        checkins: times(start - span(CHECKIN_WINDOW_MIN.before), CHECKIN_WINDOW_MIN.span),
        checkouts: times(end - span(CHECKOUT_WINDOW_MIN.before), CHECKOUT_WINDOW_MIN.span),
        nextK: rng.int(0, 10_000),
        present: [],
      });
    },
    adopt(checkins, now) {
      const groups = new Map<string, OpenCheckin[]>();
      for (const c of checkins) groups.set(c.activityId, [...(groups.get(c.activityId) ?? []), c]);
      for (const [id, group] of groups) {
        const venue = ctx.nodeById.get(group[0]?.nodeId ?? '');
        if (!venue || open.length >= MAX_OPEN) continue;
        // The first check-in comes about a quarter before the start; the history's check-ins are real time.
        const start = Math.min(...group.map((c) => c.at)) + CHECKIN_WINDOW_MIN.before * MINUTE;
        const end = start + (DURATION_MIN.min + rng.next() * DURATION_MIN.span) * MINUTE;
        const from = Math.max(now, end - CHECKOUT_WINDOW_MIN.before * MINUTE);
        const until = Math.max(
          now + span(CHECKOUT_WINDOW_MIN.span),
          end + (CHECKOUT_WINDOW_MIN.span - CHECKOUT_WINDOW_MIN.before) * MINUTE,
        );
        const present = group.map((c) => ({
          index: Number(c.volunteerId.slice(1)) - 1,
          name: c.volunteerName,
          at: c.at,
          scale: 1,
        }));
        for (const p of present) busy.add(p.index);
        const checkouts = present.map(() => Math.floor(from + rng.next() * (until - from))).sort((x, y) => x - y);
        open.push({ id, venue, checkins: [], checkouts, nextK: rng.int(0, 10_000), present });
      }
    },
    step(now) {
      const out: PracticeEvent[] = [];
      for (const a of open) {
        while (a.checkins.length > 0 && (a.checkins[0] as number) <= now) {
          const e = checkin(a, a.checkins.shift() as number);
          if (e) out.push(e);
        }
        while (a.checkouts.length > 0 && (a.checkouts[0] as number) <= now) {
          const e = checkout(a, a.checkouts.shift() as number);
          if (e) out.push(e);
        }
      }
      for (let i = open.length - 1; i >= 0; i--) {
        const a = open[i] as Activity;
        if (a.checkouts.length === 0) open.splice(i, 1);
      }
      return out;
    },
    running() {
      const live = open.filter((a) => a.present.length > 0);
      const a = live.length > 0 ? rng.pick(live) : undefined;
      return a && { id: a.id, nodeId: a.venue.id };
    },
  };
}
