/**
 * How one attempt becomes an audit row: who, what, the order before and after, and every volunteer
 * or team it touched — the one it would have put on the order too, when it was refused.
 */
import type { AuditResult, CommandAck } from '../../shared/dispatch.js';
import type { Order, Target, Transition } from '../../shared/orders.js';
import type { AuditTrail } from './audit-trail.js';
import type { DispatchActor } from './service.js';

export interface Attempt {
  actor: DispatchActor;
  commandId: string;
  /** A command type, `request` or `note`. */
  action: string;
  orderId: string;
  at: number;
  before?: Order | undefined;
  transition?: Transition | undefined;
  created?: Order | undefined;
  target?: Target | null | undefined;
  result: AuditResult;
  code: string;
  message: string;
}

export function recordAttempt(trail: AuditTrail, a: Attempt): void {
  const people = new Set<string>();
  const t = a.transition;
  for (const p of [a.before?.assignee, t?.assignee, t?.freed]) if (p) people.add(p.id);
  if (a.target?.kind === 'volunteer' || a.target?.kind === 'team') people.add(a.target.id);
  const after = t ? { state: t.to, version: t.version } : (a.created ?? a.before);
  trail.record({
    at: a.at,
    actorId: a.actor.id,
    actorName: a.actor.name,
    actorRole: a.actor.role,
    action: a.action,
    commandId: a.commandId.toLowerCase(),
    orderId: a.orderId,
    instituteId: t?.instituteId ?? a.before?.instituteId ?? a.created?.instituteId ?? '',
    assignees: [...people],
    beforeState: a.before?.state ?? '',
    beforeVersion: a.before?.version ?? 0,
    afterState: after?.state ?? '',
    afterVersion: after?.version ?? 0,
    result: a.result,
    code: a.code,
    message: a.message,
  });
}

/** A retry of a command id already answered: the order as that answer left it, before and after. */
export function recordReplay(
  trail: AuditTrail,
  a: { actor: DispatchActor; commandId: string; orderId: string; action: string; at: number },
  answer: CommandAck,
): void {
  const order = answer.ok ? answer.data.order : answer.error.order;
  trail.record({
    at: a.at,
    actorId: a.actor.id,
    actorName: a.actor.name,
    actorRole: a.actor.role,
    action: a.action,
    commandId: a.commandId,
    orderId: a.orderId,
    instituteId: order?.instituteId ?? '',
    assignees: order?.assignee ? [order.assignee.id] : [],
    beforeState: order?.state ?? '',
    beforeVersion: order?.version ?? 0,
    afterState: order?.state ?? '',
    afterVersion: order?.version ?? 0,
    result: 'replayed',
    code: answer.ok ? '' : answer.error.code,
    message: 'a retry of a command already answered',
  });
}
