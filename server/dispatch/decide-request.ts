/**
 * 群众点单, decided: a new order at a 站 or 点, version 1, written through ingest like any
 * transition. Its id derives from the requester and the command id unless the caller names one
 * (the simulator does), so a retried request finds the order it made the first time, and another
 * dispatcher sending the same command id makes an order of its own instead of being answered that
 * one. Pure: the state comes in, a Decision goes out.
 */
import { canActOn } from '../../shared/auth.js';
import { DispatchCode, type OrderRequestBody } from '../../shared/dispatch.js';
import { OrderCode, request as newOrder } from '../../shared/orders.js';
import type { DispatchActor } from './actor.js';
import { auditRecord } from './audit-record.js';
import { refused, replayed, type Decision, type DispatchState } from './decision.js';
import { requestEvent } from './events.js';
import { derivedId } from './ids.js';

export function decideRequest(
  actor: DispatchActor,
  body: OrderRequestBody,
  orderId: string,
  s: DispatchState,
): Decision {
  const attempt = { actor, commandId: body.commandId, action: 'request', orderId, at: s.now };
  const venue = s.node(body.venueId);
  if (!venue || (venue.level !== 'station' && venue.level !== 'point')) {
    return refused(attempt, undefined, OrderCode.unknownTarget, `no station or point ${body.venueId}`);
  }
  const town = venue.instituteId ?? '';
  if (!canActOn(actor, town)) {
    return refused(attempt, undefined, DispatchCode.forbidden, `${body.venueId} is outside ${actor.scope}`);
  }
  const eventId = derivedId(actor.id, body.commandId, 'transition');
  if (s.order) return replayed(attempt, s.order, 'order already requested');
  if (s.known(eventId)) {
    return refused(attempt, undefined, DispatchCode.notFound, 'order already requested', {
      answer: `order ${orderId} was requested and is closed`,
    });
  }
  const order = newOrder(orderId, body.title, venue.id, town, s.now);
  const event = requestEvent(eventId, actor, order);
  const full = { ...attempt, created: order, result: 'ok' as const, code: '', message: body.note ?? '' };
  return {
    result: 'ok',
    before: undefined,
    state: order,
    transition: null,
    events: [event],
    history: {
      version: 1,
      from: null,
      to: 'requested',
      at: s.now,
      actor: event.actor,
      assignee: '',
      reason: event.reason,
    },
    attempt: full,
    audit: auditRecord(full),
    warnings: [],
    refusal: null,
    onDuplicate: 'apply',
  };
}
