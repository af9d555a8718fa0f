/**
 * Live practice activities: volunteers of the venue's station check in while an activity is open
 * and check out once it ends. The demo runs far faster than a county does, so activities are
 * compressed to minutes; a check-out credits the activity's planned hours, as a real one would.
 */
import type { PracticeEvent } from '../../shared/events.js';
import type { NetworkNode } from '../../shared/network.js';
import type { Flow, FlowContext } from './context.js';
import type { RunningActivity } from './media.js';

interface Activity {
  id: string;
  venue: NetworkNode;
  size: number;
  hours: number;
  endsAt: number;
  /** Next k for localVolunteer: walking k keeps one activity's volunteers distinct. */
  nextK: number;
  present: Map<number, string>;
}

/** Bounds on live state, so the simulator can run for weeks. */
const MAX_OPEN = 200;
const MINUTE = 60_000;

export function activityFlow(ctx: FlowContext): Flow & { running(): RunningActivity | undefined } {
  const { rng } = ctx;
  const open: Activity[] = [];
  const busy = new Set<number>();

  const checkout = (a: Activity, index: number, name: string, now: number): PracticeEvent => {
    a.present.delete(index);
    busy.delete(index);
    const hours = Math.min(24, Math.max(0, Math.round((a.hours + (rng.next() - 0.5) * 0.5) * 100) / 100));
    const v = { volunteerId: ctx.volunteerRef(index).id, activityId: a.id, volunteerName: name, hours };
    return { ...ctx.envelope(a.venue.id, now), type: 'checkout', ...v };
  };

  const checkin = (a: Activity, now: number): PracticeEvent | null => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const index = ctx.localVolunteer(a.venue, a.nextK++);
      if (busy.has(index)) {
        a.nextK = rng.int(0, 10_000); // another activity is walking this stretch of the station's list
        continue;
      }
      const v = ctx.volunteer(index);
      busy.add(index);
      a.present.set(index, v.name);
      return {
        ...ctx.envelope(a.venue.id, now),
        type: 'checkin',
        volunteerId: v.id,
        activityId: a.id,
        volunteerName: v.name,
      };
    }
    a.size = a.present.size; // the station has no one free: the activity is as full as it gets
    return null;
  };

  const start = (now: number): Activity => {
    const a: Activity = {
      id: ctx.nextId('ACT'),
      venue: rng.pick(ctx.venues),
      size: rng.int(4, 30),
      hours: 1.5 + rng.next() * 2.5,
      endsAt: now + rng.int(5, 20) * MINUTE,
      nextK: rng.int(0, 10_000),
      present: new Map(),
    };
    open.push(a);
    return a;
  };

  /** A few random tries for a running activity with room (a scan would cost O(open) per event). */
  const withRoom = (): Activity | undefined => {
    for (let i = 0; i < 3 && open.length > 0; i++) {
      const a = rng.pick(open);
      if (a.present.size < a.size) return a;
    }
    return undefined;
  };
  /** Ended activities whose volunteers still have to check out. */
  const ending: Activity[] = [];
  const end = (a: Activity): void => {
    open.splice(open.indexOf(a), 1);
    ending.push(a);
  };

  return {
    /** A running activity for an article to report on, if any. */
    running() {
      const a = open.length > 0 ? rng.pick(open) : undefined;
      return a && { id: a.id, nodeId: a.venue.id };
    },
    step(now, budget) {
      const out: PracticeEvent[] = [];
      for (const a of open.filter((x) => x.endsAt <= now)) end(a);
      let misses = 0;
      while (out.length < budget && misses < 3) {
        const done = ending[0];
        if (done) {
          const first = done.present.entries().next();
          if (first.done) ending.shift();
          else out.push(checkout(done, first.value[0], first.value[1], now));
          continue;
        }
        // Now and then a new activity starts although others have room, so several run at once.
        const a = (rng.chance(0.1) ? undefined : withRoom()) ?? (open.length < MAX_OPEN ? start(now) : undefined);
        if (!a) {
          end(open[0] as Activity); // full house: the oldest ends early and checks out first
          continue;
        }
        const e = checkin(a, now);
        if (e) out.push(e);
        else misses += 1;
      }
      return out;
    },
  };
}
