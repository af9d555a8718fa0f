/**
 * The order port of a simulator running without a server (tests, `db:seed` previews): the same pure
 * state machine the dispatch service runs (shared/orders.ts), writing the events it would write —
 * the transition, and the volunteers' side (assigned, serving, available) — into an outbox the
 * simulator sends with its next batch.
 */
import type { PracticeEvent, VolunteerStatus } from '../../shared/events.js';
import { ActingLevel, apply, decide, isClosed, request, type Order, type Places } from '../../shared/orders.js';
import { ORDER_EXIT_REASONS } from '../names.js';
import type { FlowContext } from './context.js';
import type { OrderPort, PortAnswer } from './orders.js';

export interface LocalOrderPort {
  port: OrderPort;
  /** The events written since the last drain, oldest first. */
  drain(): PracticeEvent[];
}

export function localOrderPort(ctx: FlowContext): LocalOrderPort {
  const orders = new Map<string, Order>();
  let outbox: PracticeEvent[] = [];
  const places: Places = {
    instituteOf: (kind, id) => {
      const node = ctx.nodeById.get(id);
      if (kind === 'institute') return node?.level === 'institute' ? id : undefined;
      if (kind === 'station') return node?.level === 'station' ? (node.instituteId ?? undefined) : undefined;
      // A team id carries its path (`I03:S045:T07`); a volunteer's town is their station's.
      if (kind === 'team') return id.includes(':') ? id.split(':')[0] : undefined;
      const index = /^V(\d+)$/.exec(id)?.[1];
      if (index === undefined) return undefined;
      return ctx.nodeById.get(ctx.volunteerRef(Number(index) - 1).stationId)?.instituteId ?? undefined;
    },
  };
  const answer = (o: Order): PortAnswer => ({ state: o.state, version: o.version, assignee: o.assignee });
  const status = (o: Order, volunteerId: string, value: VolunteerStatus, at: number) =>
    outbox.push({ ...ctx.envelope(o.venueId, at), type: 'volunteer.status', volunteerId, status: value });

  const port: OrderPort = {
    async request({ orderId, venueId, title, actor, at }) {
      const venue = ctx.nodeById.get(venueId);
      if (!venue) return null;
      const o = request(orderId, title, venueId, venue.instituteId ?? '', at);
      orders.set(orderId, o);
      outbox.push({
        ...ctx.envelope(venueId, at),
        type: 'order.transition',
        orderId,
        from: null,
        to: 'requested',
        version: 1,
        actor,
        volunteerId: null,
        reason: title,
      });
      return answer(o);
    },
    async command({ orderId, expectedVersion, command, actor, at }) {
      const o = orders.get(orderId);
      if (!o) return null;
      // The simulator plays the center and the towns alike; the towns' own steps stay in town anyway.
      const decided = decide(o, command, expectedVersion, at, places, ActingLevel.center);
      if (!decided.ok) return answer(o);
      const t = decided.data;
      const after = apply(o, t);
      orders.set(orderId, after);
      if (isClosed(after.state) && after.state !== 'completed') orders.delete(orderId);
      const volunteerId = (t.assignee ?? t.freed)?.id ?? null;
      const reason = t.to === 'rejected' || t.to === 'cancelled' || t.to === 'expired' ? ORDER_EXIT_REASONS[t.to] : '';
      const body = { orderId, from: t.from, to: t.to, version: t.version, actor, volunteerId, reason };
      outbox.push({ ...ctx.envelope(o.venueId, at), type: 'order.transition', ...body });
      if (t.freed?.kind === 'volunteer') status(o, t.freed.id, 'available', at);
      if (t.assignee?.kind === 'volunteer' && t.to === 'in_service') status(o, t.assignee.id, 'serving', at);
      else if (t.assignee?.kind === 'volunteer' && t.assignee.id !== o.assignee?.id)
        status(o, t.assignee.id, 'assigned', at);
      return answer(after);
    },
    async report(event) {
      outbox.push(event);
    },
  };
  return {
    port,
    drain() {
      const out = outbox;
      outbox = [];
      return out;
    },
  };
}
