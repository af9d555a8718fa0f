/**
 * Live appeals (网上群众路线): received near a node, then assigned, replied and closed by a unit at
 * demo speed (minutes, not days). A few stall after the reply and are never closed, so the closure
 * rate on the wall holds near the article's (19,597 of 20,038, 97.8 %).
 */
import { AppealCategory, type PracticeEvent } from '../../shared/events.js';
import type { NetworkNode } from '../../shared/network.js';
import { countyFacts } from '../counties.js';
import { APPEAL_TITLES, APPEAL_UNITS, townOf, townOffice } from '../names.js';
import { randomCitizen } from '../volunteers.js';
import { caseFlow, type Case } from './cases.js';
import type { Flow, FlowContext } from './context.js';

interface Appeal extends Case {
  id: string;
  venue: NetworkNode;
  unit: string;
  /** Steps taken after the receipt: 0 = received, 1 = assigned, 2 = replied. */
  stage: number;
  stalls: boolean;
}

const MINUTE = 60_000;
const CATEGORIES = Object.values(AppealCategory);
const STEPS = ['appeal.assigned', 'appeal.replied', 'appeal.closed'] as const;
/** Minutes until the next step: [min, max] after receipt, assignment, reply. */
const WAIT: readonly [number, number][] = [
  [1, 15],
  [5, 60],
  [10, 120],
];

export function appealFlow(ctx: FlowContext): Flow {
  const { rng } = ctx;
  const { yearly } = countyFacts(ctx.network);
  const stallShare = 1 - yearly.appealsClosed / yearly.appealsReceived;
  const wait = (stage: number): number => {
    const [min, max] = WAIT[stage] ?? [1, 10];
    return rng.int(min, max) * MINUTE;
  };
  return caseFlow<Appeal>({
    cap: 300,
    open(now) {
      const venue = rng.pick(ctx.venues);
      const category = rng.weighted(CATEGORIES, [5, 3, 2]);
      const citizen = randomCitizen(rng);
      const town = townOf(ctx.nodeById.get(venue.instituteId ?? '')?.name ?? '');
      const unit = rng.chance(0.4) ? townOffice(town) : ctx.network.county.name + rng.pick(APPEAL_UNITS);
      const item: Appeal = {
        id: ctx.nextId('AP'),
        venue,
        unit,
        stage: 0,
        stalls: rng.chance(stallShare),
        nextAt: now + wait(0),
      };
      const event: PracticeEvent = {
        ...ctx.envelope(venue.id, now),
        type: 'appeal.received',
        appealId: item.id,
        category,
        title: rng.pick(APPEAL_TITLES[category]),
        citizenName: citizen.name,
        citizenPhone: citizen.phone,
        // within a few hundred metres of the node
        lat: Math.round((venue.lat + (rng.next() - 0.5) * 0.006) * 1e6) / 1e6,
        lon: Math.round((venue.lon + (rng.next() - 0.5) * 0.007) * 1e6) / 1e6,
      };
      return { item, events: [event] };
    },
    advance(item, now) {
      const type = STEPS[item.stage] ?? 'appeal.closed';
      const event: PracticeEvent = { ...ctx.envelope(item.venue.id, now), type, appealId: item.id, actor: item.unit };
      item.stage += 1;
      item.nextAt = now + wait(item.stage);
      return { events: [event], done: type === 'appeal.closed' || (type === 'appeal.replied' && item.stalls) };
    },
  });
}
