/**
 * The events an accepted command writes: its `order.transition` (placed on the node holding the
 * order, see projection.ts) and the volunteers' side of it — freed → available, newly on the order
 * → assigned, started → serving. Ids derive from the sender and the command id, so a retried
 * command's events are duplicates ingest refuses, and another sender's same id writes other ids.
 */
import type { PracticeEvent, VolunteerStatus } from '../../shared/events.js';
import { isClosed, type Order, type Transition } from '../../shared/orders.js';
import { derivedId } from './ids.js';
import { holderNode } from './projection.js';

export function transitionEvent(
  actor: { id: string; name: string },
  commandId: string,
  before: Order,
  after: Order,
  t: Transition,
  reason: string,
  venueTown: string,
): PracticeEvent {
  return {
    id: derivedId(actor.id, commandId, 'transition'),
    nodeId: isClosed(after.state) ? holderNode(before, venueTown) : holderNode(after, venueTown),
    ts: t.at,
    type: 'order.transition',
    orderId: t.orderId,
    from: t.from,
    to: t.to,
    version: t.version,
    actor: actor.name.slice(0, 64),
    volunteerId: (t.assignee ?? t.freed)?.id ?? null,
    reason: reason.slice(0, 200),
  };
}

/** `loadElsewhere(id)`: the volunteer's open orders besides this one (a freed volunteer still busy stays busy). */
export function statusEvents(
  issuer: string,
  commandId: string,
  order: Order,
  t: Transition,
  loadElsewhere: (volunteerId: string) => number,
): PracticeEvent[] {
  const out: PracticeEvent[] = [];
  const nodeId = order.stationId || order.venueId;
  const status = (volunteerId: string, value: VolunteerStatus) =>
    out.push({
      id: derivedId(issuer, commandId, `status:${volunteerId}`),
      nodeId,
      ts: t.at,
      type: 'volunteer.status',
      volunteerId,
      status: value,
    });
  if (t.freed?.kind === 'volunteer' && loadElsewhere(t.freed.id) === 0) status(t.freed.id, 'available');
  const now = t.assignee?.kind === 'volunteer' ? t.assignee.id : null;
  if (now !== null && t.to === 'in_service') status(now, 'serving');
  else if (now !== null && t.freed?.id !== now && order.assignee?.id !== now) status(now, 'assigned');
  return out;
}

/** A 点单's event: the order's first transition, version 1, placed on its venue. */
export function requestEvent(
  id: string,
  actor: { name: string },
  order: Order,
): Extract<PracticeEvent, { type: 'order.transition' }> {
  return {
    id,
    nodeId: order.venueId,
    ts: order.createdAt,
    type: 'order.transition',
    orderId: order.id,
    from: null,
    to: 'requested',
    version: 1,
    actor: actor.name.slice(0, 64),
    volunteerId: null,
    reason: order.title.slice(0, 200),
  };
}
