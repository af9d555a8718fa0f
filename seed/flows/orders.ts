/**
 * Live service orders through 群众点单 → 中心制单 → 层层派单 → 志愿者接单 → service → rating, one
 * versioned transition at a time, with the side exits (rejected, cancelled, expired) now and then.
 * The volunteer who claims an order reports assigned → en route → serving → available.
 */
import type { OrderState, PracticeEvent, VolunteerStatus } from '../../shared/events.js';
import type { NetworkNode } from '../../shared/network.js';
import { ORDER_EXIT_REASONS, ORDER_SERVICES } from '../names.js';
import { caseFlow, type Case } from './cases.js';
import type { Flow, FlowContext } from './context.js';

interface Order extends Case {
  id: string;
  venue: NetworkNode;
  state: OrderState;
  version: number;
  volunteer: { id: string; name: string } | null;
  enRoute: boolean;
}

const MINUTE = 60_000;

export function orderFlow(ctx: FlowContext): Flow {
  const { rng } = ctx;
  const centerName = ctx.network.nodes.find((n) => n.level === 'center')?.name ?? '';

  const transition = (o: Order, to: OrderState, actor: string, now: number, reason = ''): PracticeEvent => {
    const from = o.state;
    o.state = to;
    o.version += 1;
    const volunteerId = o.volunteer?.id ?? null;
    const body = { orderId: o.id, from, to, version: o.version, actor, volunteerId, reason };
    return { ...ctx.envelope(o.venue.id, now), type: 'order.transition', ...body };
  };
  /** The claiming volunteer's status, reported from the order's venue. */
  const status = (o: Order, v: { id: string }, value: VolunteerStatus, now: number): PracticeEvent => ({
    ...ctx.envelope(o.venue.id, now),
    type: 'volunteer.status',
    volunteerId: v.id,
    status: value,
  });
  const later = (o: Order, now: number, min: number, max: number): void => {
    o.nextAt = now + rng.int(min, max) * MINUTE;
  };

  return caseFlow<Order>({
    cap: 200,
    open(now) {
      const venue = rng.pick(ctx.venues);
      const item: Order = {
        id: ctx.nextId('ORD'),
        venue,
        state: 'requested',
        version: 1,
        volunteer: null,
        enRoute: false,
        nextAt: 0,
      };
      later(item, now, 1, 5);
      const body = {
        orderId: item.id,
        from: null,
        to: 'requested' as const,
        version: 1,
        actor: '群众',
        volunteerId: null,
      };
      const event: PracticeEvent = {
        ...ctx.envelope(venue.id, now),
        type: 'order.transition',
        ...body,
        reason: rng.pick(ORDER_SERVICES),
      };
      return { item, events: [event] };
    },
    advance(o, now) {
      const institute = ctx.nodeById.get(o.venue.instituteId ?? '')?.name ?? '';
      const step = (events: PracticeEvent[], min: number, max: number) => {
        later(o, now, min, max);
        return { events, done: false };
      };
      const exit = (to: 'rejected' | 'cancelled' | 'expired', actor: string) => ({
        events: [transition(o, to, actor, now, ORDER_EXIT_REASONS[to])],
        done: true,
      });
      switch (o.state) {
        case 'requested':
          if (rng.chance(0.03)) return exit('rejected', centerName);
          return step([transition(o, 'accepted_by_center', centerName, now)], 1, 10);
        case 'accepted_by_center':
          if (rng.chance(0.02)) return exit('cancelled', '群众');
          return step([transition(o, 'dispatched_institute', centerName, now)], 1, 10);
        case 'dispatched_institute':
          return step([transition(o, 'dispatched_station', institute, now)], 1, 10);
        case 'dispatched_station': {
          if (rng.chance(0.03)) return exit('expired', '系统');
          const v = ctx.volunteer(ctx.localVolunteer(o.venue, rng.int(0, 10_000)));
          o.volunteer = { id: v.id, name: v.name };
          return step([transition(o, 'claimed', v.name, now), status(o, v, 'assigned', now)], 2, 10);
        }
        case 'claimed':
        case 'in_service': {
          const v = o.volunteer;
          if (!v) return { events: [], done: true }; // cannot happen: the claim sets it
          if (o.state === 'in_service') {
            return step([transition(o, 'completed', v.name, now), status(o, v, 'available', now)], 5, 30);
          }
          if (o.enRoute) return step([transition(o, 'in_service', v.name, now), status(o, v, 'serving', now)], 10, 40);
          o.enRoute = true;
          return step([status(o, v, 'en_route', now)], 5, 20);
        }
        case 'completed':
          // Not every resident rates the service.
          return { events: rng.chance(0.85) ? [transition(o, 'rated', '群众', now)] : [], done: true };
        case 'rated':
        case 'rejected':
        case 'cancelled':
        case 'expired':
          return { events: [], done: true }; // final states leave the flow as they are reached
      }
    },
  });
}
