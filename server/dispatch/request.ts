/**
 * 群众点单: a new order at a 站 or 点, version 1, written through ingest like any transition. Its
 * id derives from the requester and the command id unless the caller names one (the simulator
 * does), so a retried request finds the order it made the first time, and another dispatcher
 * sending the same command id makes an order of its own instead of being answered that one.
 */
import { canActOn } from '../../shared/auth.js';
import type { AuditResult, CommandAck, OrderRequestBody } from '../../shared/dispatch.js';
import type { PracticeEvent } from '../../shared/events.js';
import { request as newOrder, type Order } from '../../shared/orders.js';
import { recordAttempt } from './attempts.js';
import { derivedId } from './ids.js';
import { refusal, writeEvents } from './outcome.js';
import type { DispatchActor, DispatchService } from './service.js';

export async function requestOrder(
  s: DispatchService,
  actor: DispatchActor,
  body: OrderRequestBody,
  orderId: string,
): Promise<CommandAck> {
  const now = s.now();
  const audit = (result: AuditResult, code: string, message: string, created?: Order) =>
    recordAttempt(s.audit, {
      actor,
      commandId: body.commandId,
      action: 'request',
      orderId,
      at: now,
      created,
      result,
      code,
      message,
    });
  const venue = s.options.nodes.get(body.venueId);
  if (!venue || (venue.level !== 'station' && venue.level !== 'point')) {
    audit('refused', 'ORDER_UNKNOWN_TARGET', `no station or point ${body.venueId}`);
    return refusal('ORDER_UNKNOWN_TARGET', `no station or point ${body.venueId}`);
  }
  const town = venue.instituteId ?? '';
  if (!canActOn(actor, town)) {
    audit('refused', 'AUTH_FORBIDDEN', `${body.venueId} is outside ${actor.scope}`);
    return refusal('AUTH_FORBIDDEN', `${body.venueId} is outside ${actor.scope}`);
  }
  const existing = s.projection.orders.get(orderId);
  const eventId = derivedId(actor.id, body.commandId, 'transition');
  if (existing || s.knownEvents.has(eventId)) {
    audit(existing ? 'replayed' : 'refused', existing ? '' : 'ORDER_NOT_FOUND', 'order already requested');
    if (existing) return { ok: true, data: { order: s.projection.view(existing), replayed: true, warnings: [] } };
    return refusal('ORDER_NOT_FOUND', `order ${orderId} was requested and is closed`);
  }
  const order = newOrder(orderId, body.title, venue.id, town, now);
  const event: PracticeEvent = {
    id: eventId,
    nodeId: venue.id,
    ts: now,
    type: 'order.transition',
    orderId,
    from: null,
    to: 'requested',
    version: 1,
    actor: actor.name.slice(0, 64),
    volunteerId: null,
    reason: body.title.slice(0, 200),
  };
  const written = await writeEvents(s.options, [event]);
  if (written !== 'accepted' && written !== 'duplicate') {
    audit('refused', written, 'not written');
    return refusal(written, 'ingest is full; retry');
  }
  s.projection.orders.set(orderId, order);
  s.projection.record(orderId, {
    version: 1,
    from: null,
    to: 'requested',
    at: now,
    actor: event.actor,
    assignee: '',
    reason: event.reason,
  });
  s.known(eventId);
  audit('ok', '', body.note ?? '', order);
  s.emitOrder(order, town);
  return { ok: true, data: { order: s.projection.view(order), replayed: false, warnings: [] } };
}
