/**
 * A command on an order, decided: scope, the state machine (shared/orders.ts `decide`, where the
 * expected version meets the projection's: see order-queue.ts), the double-booking rule and the
 * events an accepted command writes. Pure: the state comes in, a Decision goes out.
 */
import { canActOn, Role } from '../../shared/auth.js';
import { DispatchCode, DispatchWarning, type OrderCommandBody } from '../../shared/dispatch.js';
import { FieldCode, volunteerRefusal } from '../../shared/field.js';
import { ActingLevel, apply, CENTER_COMMANDS, decide, type OrderCode, type Target } from '../../shared/orders.js';
import type { DispatchActor } from './actor.js';
import { auditRecord } from './audit-record.js';
import { refused, replayed, type DispatchState, type Decision, type Warning } from './decision.js';
import { statusEvents, transitionEvent } from './events.js';
import { derivedId } from './ids.js';

const DEFAULT_REASONS: Partial<Record<string, string>> = {
  reject: '超出服务范围',
  cancel: '群众已自行解决',
  expire: '超时无人接单',
  escalate: '超时上报',
};

export function decideCommand(actor: DispatchActor, body: OrderCommandBody, s: DispatchState): Decision {
  const target = targetOf(body);
  const order = s.order;
  const attempt = {
    actor,
    commandId: body.commandId,
    action: body.type,
    orderId: body.orderId,
    at: s.now,
    before: order,
    target,
  };
  if (!order) return refused(attempt, order, DispatchCode.notFound, `no order ${body.orderId}`);
  // A volunteer on their phone acts on their own orders only, whatever the town.
  const volunteer = actor.role === Role.volunteer;
  const notYours = volunteer ? volunteerRefusal(actor.id, body, order, s.offered(order.id, actor.id)) : null;
  if (notYours !== null) return refused(attempt, order, FieldCode.notYours, notYours);
  // Another town's order is refused without its details.
  const center = CENTER_COMMANDS.includes(body.type);
  if (!volunteer && (!canActOn(actor, order.instituteId) || (center && !canActOn(actor, '')))) {
    const message = center ? `only the center may ${body.type}` : `order ${order.id} belongs to ${order.instituteId}`;
    return refused(attempt, order, DispatchCode.forbidden, message);
  }
  if (s.known(derivedId(actor.id, body.commandId, 'transition'))) {
    return replayed(attempt, order, 'command already applied before a restart');
  }
  const by = canActOn(actor, '') ? ActingLevel.center : ActingLevel.town;
  const decided = decide(order, body, body.expectedVersion, s.now, s.places, by);
  if (!decided.ok) {
    // The state machine refuses only with its own codes (shared/orders.ts OrderCode).
    const code = decided.error.code as OrderCode;
    return refused(attempt, order, code, decided.error.message, { showOrder: true });
  }
  const t = decided.data;
  const targetTown = target ? (s.places.instituteOf(target.kind, target.id) ?? '') : t.instituteId;
  if (!volunteer && (!canActOn(actor, t.instituteId) || !canActOn(actor, targetTown))) {
    const message = `${target?.kind ?? 'target'} ${target?.id ?? ''} is outside ${actor.scope}`;
    return refused(attempt, order, DispatchCode.forbidden, message);
  }
  const warnings: Warning[] = [];
  const onto = t.assignee?.kind === 'volunteer' && t.assignee.id !== order.assignee?.id ? t.assignee.id : null;
  if (onto !== null && s.load(onto, order.id) > 0) {
    const message = `volunteer ${onto} is already on ${s.orderIds(onto).join(', ')}`;
    if (s.blockDoubleBooking) {
      return refused(attempt, order, DispatchCode.doubleBooking, message, { showOrder: true });
    }
    warnings.push({ code: DispatchWarning.doubleBooked, message });
  }
  const reason = (body.note ?? ('reason' in body ? body.reason : undefined) ?? DEFAULT_REASONS[body.type] ?? '') || '';
  const after = apply(order, t);
  const venueTown = s.node(order.venueId)?.instituteId ?? '';
  const full = { ...attempt, transition: t, result: 'ok' as const, code: '', message: reason };
  return {
    result: 'ok',
    before: order,
    state: after,
    transition: t,
    events: [
      transitionEvent(actor, body.commandId, order, after, t, reason, venueTown),
      ...statusEvents(actor.id, body.commandId, order, t, (id) => s.load(id, order.id)),
    ],
    history: {
      version: t.version,
      from: t.from,
      to: t.to,
      at: t.at,
      actor: actor.name,
      assignee: (t.assignee ?? t.freed)?.id ?? '',
      reason,
    },
    attempt: full,
    audit: auditRecord(full),
    warnings,
    refusal: null,
    onDuplicate: 'replay',
  };
}

/** The place or person a command names, resolved before deciding (volunteer registry, teams). */
export function targetOf(body: OrderCommandBody): Target | null {
  switch (body.type) {
    case 'dispatch_institute':
      return { kind: 'institute', id: body.instituteId };
    case 'dispatch_station':
      return { kind: 'station', id: body.stationId };
    case 'claim':
      return body.assignee;
    case 'reassign':
      return body.target;
    case 'accept':
    case 'reject':
    case 'start':
    case 'complete':
    case 'rate':
    case 'cancel':
    case 'escalate':
    case 'expire':
      return null;
  }
}
