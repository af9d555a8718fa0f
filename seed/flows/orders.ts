/**
 * Live service orders through 群众点单 → 中心制单 → 层层派单 → 志愿者接单 → service → rating, played
 * as commands through an `OrderPort`: in the server, the dispatch service (so the simulator and the
 * console share one state machine and one version count); standalone, a local port running the same
 * pure machine (order-port.ts). The flow follows what the port answers: when a dispatcher at the
 * console reassigns an order, the simulator carries on from there.
 */
import type { OrderState, PracticeEvent } from '../../shared/events.js';
import type { NetworkNode } from '../../shared/network.js';
import { isClosed, type Assignee, type OrderCommand } from '../../shared/orders.js';
import { HAPPY_PATH, ORDER_GAPS } from '../history/params.js';
import { ORDER_SERVICES } from '../names.js';
import type { FlowContext } from './context.js';

/** The order as the port has it after a request or command. */
export interface OrderAnswer {
  /** The order's id when the port named it (a citizen's 点单 gets its id from the server), else the requested one. */
  orderId?: string;
  state: OrderState;
  version: number;
  assignee: Assignee | null;
}
/** `null`: the order is gone for the simulator (refused for good); `retry`: ask again later. */
export type PortAnswer = OrderAnswer | null | 'retry';

export interface OrderPort {
  request(r: { orderId: string; venueId: string; title: string; actor: string; at: number }): Promise<PortAnswer>;
  command(c: {
    orderId: string;
    expectedVersion: number;
    command: OrderCommand;
    actor: string;
    at: number;
  }): Promise<PortAnswer>;
  /** A volunteer's own report (en route): a device event, not a command. */
  report(event: Extract<PracticeEvent, { type: 'volunteer.status' }>): Promise<void>;
}

interface LiveOrder {
  id: string;
  venue: NetworkNode;
  state: OrderState;
  version: number;
  volunteer: { id: string; name: string } | null;
  enRoute: boolean;
  nextAt: number;
  waiting: boolean;
}

export interface OrderFlow {
  /** Issues the commands and reports due by `now`, and `requests` new requests (群众点单). */
  step(now: number, requests: number): void;
  /** Resolves once every command issued so far has its answer. */
  settle(): Promise<void>;
}

const MINUTE = 60_000;
const EN_ROUTE_MIN = 20;
/** Bounds live state for sped-up runs: at the cap, the order due soonest moves on early. */
const CAP = 200;

/** `timeScale` > 1 shortens the history's waits between steps (ORDER_GAPS) for sped-up runs. */
export function orderFlow(ctx: FlowContext, port: OrderPort, timeScale = 1): OrderFlow {
  const { rng } = ctx;
  const centerName = ctx.network.nodes.find((n) => n.level === 'center')?.name ?? '';
  let live: LiveOrder[] = [];
  const inFlight = new Set<Promise<void>>();
  const stationOf = (venue: NetworkNode) => (venue.level === 'station' ? venue.id : (venue.parentId ?? venue.id));
  const later = (o: LiveOrder, now: number, min: number, max: number) =>
    (o.nextAt = Math.floor(now + ((min + rng.next() * (max - min)) * MINUTE) / timeScale));
  /** The history's wait before the happy path's next step after `state`. */
  const gapAfter = (state: OrderState): [number, number] => {
    const [min, span] = ORDER_GAPS[HAPPY_PATH[HAPPY_PATH.indexOf(state) + 1] ?? 'rated'];
    return [min, min + span];
  };

  /** Waits for the port, then follows its answer (a dispatcher may have moved the order meanwhile). */
  const track = (o: LiveOrder, answer: Promise<PortAnswer>, now: number): void => {
    o.waiting = true;
    const done = answer.then(
      (a) => {
        o.waiting = false;
        if (a !== 'retry' && a?.orderId !== undefined) o.id = a.orderId;
        if (a === 'retry') return void (o.nextAt = now + rng.int(1, 2) * MINUTE);
        if (a === null || (isClosed(a.state) && a.state !== 'completed')) return void (o.state = 'cancelled');
        if (a.assignee?.id !== o.volunteer?.id) {
          o.volunteer = a.assignee?.kind === 'volunteer' ? { id: a.assignee.id, name: '志愿者' } : null;
          o.enRoute = false;
        }
        o.state = a.state;
        o.version = a.version;
        const [min, max] = gapAfter(a.state);
        // the en-route report comes 20 minutes before the service starts (seed/history/statuses.sql)
        later(
          o,
          now,
          a.state === 'claimed' ? Math.max(0, min - EN_ROUTE_MIN) : min,
          max - (a.state === 'claimed' ? EN_ROUTE_MIN : 0),
        );
      },
      () => void (o.waiting = false),
    );
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  };

  const command = (o: LiveOrder, now: number, c: OrderCommand, actor: string): void =>
    track(o, port.command({ orderId: o.id, expectedVersion: o.version, command: c, actor, at: now }), now);

  const open = (now: number): void => {
    const venue = rng.pick(ctx.venues);
    const o: LiveOrder = {
      id: ctx.nextId('ORD'),
      venue,
      state: 'requested',
      version: 1,
      volunteer: null,
      enRoute: false,
      nextAt: 0,
      waiting: false,
    };
    live.push(o);
    track(
      o,
      port.request({ orderId: o.id, venueId: venue.id, title: rng.pick(ORDER_SERVICES), actor: '群众', at: now }),
      now,
    );
  };

  /** The next step of an order, as its current holder would take it. */
  const advance = (o: LiveOrder, now: number): void => {
    const institute = ctx.nodeById.get(o.venue.instituteId ?? '');
    switch (o.state) {
      case 'requested':
        if (rng.chance(0.03)) return command(o, now, { type: 'reject' }, centerName);
        return command(o, now, { type: 'accept' }, centerName);
      case 'accepted_by_center':
        if (rng.chance(0.02)) return command(o, now, { type: 'cancel' }, '群众');
        return command(o, now, { type: 'dispatch_institute', instituteId: institute?.id ?? '' }, centerName);
      case 'dispatched_institute':
        return command(o, now, { type: 'dispatch_station', stationId: stationOf(o.venue) }, institute?.name ?? '');
      case 'dispatched_station': {
        if (rng.chance(0.03)) return command(o, now, { type: 'expire' }, '系统');
        const v = ctx.volunteer(ctx.localVolunteer(o.venue, rng.int(0, 10_000)));
        o.volunteer = { id: v.id, name: v.name };
        return command(o, now, { type: 'claim', assignee: { kind: 'volunteer', id: v.id } }, v.name);
      }
      case 'claimed': {
        const v = o.volunteer;
        if (!v || o.enRoute) return command(o, now, { type: 'start' }, v?.name ?? '志愿者');
        o.enRoute = true;
        later(o, now, EN_ROUTE_MIN, EN_ROUTE_MIN);
        const report = port.report({
          ...ctx.envelope(o.venue.id, now),
          type: 'volunteer.status',
          volunteerId: v.id,
          status: 'en_route',
        });
        inFlight.add(report);
        void report.finally(() => inFlight.delete(report));
        return;
      }
      case 'in_service':
        return command(o, now, { type: 'complete' }, o.volunteer?.name ?? '志愿者');
      case 'completed':
        // Not every resident rates the service.
        if (rng.chance(0.85)) return command(o, now, { type: 'rate', score: rng.int(3, 5) }, '群众');
        o.state = 'rated';
        return;
      case 'rated':
      case 'rejected':
      case 'cancelled':
      case 'expired':
        return;
    }
  };

  return {
    step(now, requests) {
      live = live.filter((o) => o.waiting || !isClosed(o.state) || o.state === 'completed');
      const due = live.filter((o) => !o.waiting && o.nextAt <= now).sort((a, b) => a.nextAt - b.nextAt);
      for (const o of due) advance(o, now);
      for (let issued = 0; issued < requests; issued++) {
        if (live.length < CAP) open(now);
        else {
          // At the cap, the order due soonest moves on early instead of a new one opening.
          let soonest: LiveOrder | undefined;
          for (const o of live) if (!o.waiting && (!soonest || o.nextAt < soonest.nextAt)) soonest = o;
          if (!soonest) break;
          advance(soonest, now);
        }
      }
    },
    async settle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
