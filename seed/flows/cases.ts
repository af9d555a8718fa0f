/**
 * The shape shared by appeals and orders: cases that open with one event and then move on step by
 * step when due. Live state is capped; at the cap, the case due soonest moves on early instead of a
 * new one opening, so nothing is dropped half-way and memory stays bounded.
 */
import type { PracticeEvent } from '../../shared/events.js';
import type { Flow } from './context.js';

export interface Case {
  /** When the case next moves on (epoch ms). */
  nextAt: number;
}

export interface CaseSpec<T extends Case> {
  cap: number;
  open(now: number): { item: T; events: PracticeEvent[] };
  /** Moves a case on; `done` forgets it (closed, rated, or left open for good). */
  advance(item: T, now: number): { events: PracticeEvent[]; done: boolean };
}

export function caseFlow<T extends Case>(spec: CaseSpec<T>): Flow {
  let live: T[] = [];
  return {
    step(now, budget) {
      const out: PracticeEvent[] = [];
      const finished = new Set<T>();
      const move = (item: T): void => {
        const { events, done } = spec.advance(item, now);
        out.push(...events);
        if (done) finished.add(item);
      };
      const due = live.filter((c) => c.nextAt <= now).sort((a, b) => a.nextAt - b.nextAt);
      for (const item of due) {
        if (out.length >= budget) break;
        move(item);
      }
      while (out.length < budget) {
        if (live.length - finished.size < spec.cap) {
          const { item, events } = spec.open(now);
          live.push(item);
          out.push(...events);
          continue;
        }
        let soonest: T | undefined;
        for (const c of live) if (!finished.has(c) && (!soonest || c.nextAt < soonest.nextAt)) soonest = c;
        if (soonest) move(soonest);
      }
      live = live.filter((c) => !finished.has(c));
      return out;
    },
  };
}
