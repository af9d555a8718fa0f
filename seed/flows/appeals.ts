/**
 * Live appeals (网上群众路线): received near a node, then assigned, replied and closed by a unit,
 * each step after the history's delays (seed/rhythm.ts APPEAL_STEP_MIN: hours to days). The appeals
 * the history left in progress are taken on at start (`adopt`), so closures go on from the first
 * minute. A few stall after the reply and are never closed, so the closure rate holds near the
 * article's (19,597 of 20,038, 97.8 %).
 */
import { AppealCategory, type PracticeEvent } from '../../shared/events.js';
import type { NetworkNode } from '../../shared/network.js';
import { countyFacts } from '../counties.js';
import { APPEAL_TITLES, APPEAL_UNITS, townOf, townOffice } from '../names.js';
import { APPEAL_STEP_MIN } from '../rhythm.js';
import { randomCitizen } from '../volunteers.js';
import type { FlowContext } from './context.js';

/** An appeal the store holds received but not closed (server/store/appeals-repository.ts). */
export interface PendingAppeal {
  appealId: string;
  nodeId: string;
  /** Steps taken after the receipt: 0 = received only, 1 = assigned, 2 = replied. */
  steps: number;
  /** When the last step was taken (epoch ms). */
  lastAt: number;
  /** The unit it was assigned to, if it was. */
  unit: string;
}

interface Appeal {
  id: string;
  venue: NetworkNode;
  unit: string;
  stage: number;
  stalls: boolean;
  nextAt: number;
}

export interface AppealFlow {
  /** A new appeal's receipt (and, at the cap, the step of the one due soonest). */
  open(now: number): PracticeEvent[];
  /** Takes on appeals already in progress; one past its step's longest delay is taken as stalled. */
  adopt(pending: readonly PendingAppeal[], now: number): void;
  /** The steps due by `now`. */
  step(now: number): PracticeEvent[];
}

const MINUTE = 60_000;
const CATEGORIES = Object.values(AppealCategory);
const STEPS = ['appeal.assigned', 'appeal.replied', 'appeal.closed'] as const;
/** Bounds live state for sped-up runs: at the cap, the appeal due soonest moves on early. */
const CAP = 5_000;

export function appealFlow(ctx: FlowContext, timeScale = 1): AppealFlow {
  const { rng } = ctx;
  const { yearly } = countyFacts(ctx.network);
  const stallShare = 1 - yearly.appealsClosed / yearly.appealsReceived;
  let live: Appeal[] = [];
  const delay = (stage: number): number => {
    const [min, span] = APPEAL_STEP_MIN[stage] ?? [10, 10];
    return Math.floor(((min + rng.next() * span) * MINUTE) / timeScale);
  };
  const unitFor = (venue: NetworkNode): string => {
    const town = townOf(ctx.nodeById.get(venue.instituteId ?? '')?.name ?? '');
    return rng.chance(0.4) ? townOffice(town) : ctx.network.county.name + rng.pick(APPEAL_UNITS);
  };
  const advance = (a: Appeal, at: number): PracticeEvent => {
    const type = STEPS[a.stage] ?? 'appeal.closed';
    a.stage += 1;
    a.nextAt = type === 'appeal.closed' || (type === 'appeal.replied' && a.stalls) ? Infinity : at + delay(a.stage);
    return { ...ctx.envelope(a.venue.id, at), type, appealId: a.id, actor: a.unit };
  };

  return {
    open(now) {
      const out: PracticeEvent[] = [];
      if (live.length >= CAP) {
        const soonest = live.reduce((x, y) => (y.nextAt < x.nextAt ? y : x));
        out.push(advance(soonest, now));
      }
      const venue = rng.pick(ctx.venues);
      const category = rng.weighted(CATEGORIES, [5, 3, 2]);
      const citizen = randomCitizen(rng);
      const a: Appeal = { id: ctx.nextId('AP'), venue, unit: unitFor(venue), stage: 0, stalls: false, nextAt: 0 };
      a.stalls = rng.chance(stallShare);
      a.nextAt = now + delay(0);
      live.push(a);
      out.push({
        ...ctx.envelope(venue.id, now),
        type: 'appeal.received',
        appealId: a.id,
        category,
        title: rng.pick(APPEAL_TITLES[category]),
        citizenName: citizen.name,
        citizenPhone: citizen.phone,
        // within a few hundred metres of the node
        lat: Math.round((venue.lat + (rng.next() - 0.5) * 0.006) * 1e6) / 1e6,
        lon: Math.round((venue.lon + (rng.next() - 0.5) * 0.007) * 1e6) / 1e6,
      });
      return out;
    },
    adopt(pending, now) {
      for (const p of pending) {
        const venue = ctx.nodeById.get(p.nodeId);
        const [min, span] = APPEAL_STEP_MIN[p.steps] ?? [0, 0];
        // The history's delays are real time: a step past its longest delay is not coming.
        const earliest = Math.max(now, p.lastAt + min * MINUTE);
        const latest = p.lastAt + (min + span) * MINUTE;
        if (!venue || p.steps > 2 || latest <= now || live.length >= CAP) continue;
        const unit = p.unit || unitFor(venue);
        const nextAt = Math.floor(earliest + rng.next() * (latest - earliest));
        live.push({ id: p.appealId, venue, unit, stage: p.steps, stalls: rng.chance(stallShare), nextAt });
      }
    },
    step(now) {
      const out: PracticeEvent[] = [];
      const due = live.filter((a) => a.nextAt <= now).sort((x, y) => x.nextAt - y.nextAt);
      for (const a of due) out.push(advance(a, a.nextAt));
      live = live.filter((a) => a.nextAt !== Infinity);
      return out;
    },
  };
}
