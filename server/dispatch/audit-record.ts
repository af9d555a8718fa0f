/**
 * How one attempt becomes an audit row — the one place a row is built, for commands, 点单, replays
 * and notes alike: who, what, the order before and after, and every volunteer or team it touched
 * (the one it would have put on the order too, when it was refused). Pure: the trail numbers and
 * writes it (audit-trail.ts).
 */
import type { AuditResult } from '../../shared/dispatch.js';
import type { Order, Target, Transition } from '../../shared/orders.js';
import type { AuditRecord } from '../store/orders-repository.js';
import type { DispatchActor } from './actor.js';

/** An order as far as its audit row goes: an `Order`, or the `OrderView` a kept answer holds. */
type Audited = Pick<Order, 'state' | 'version' | 'instituteId' | 'assignee'>;

export interface Attempt {
  actor: DispatchActor;
  commandId: string;
  /** A command type, `request` or `note`. */
  action: string;
  orderId: string;
  at: number;
  before?: Audited | undefined;
  transition?: Transition | undefined;
  created?: Audited | undefined;
  target?: Target | null | undefined;
  result: AuditResult;
  code: string;
  message: string;
}

/** An audit row before the trail numbers it. */
export type AuditDraft = Omit<AuditRecord, 'seq'>;

export function auditRecord(a: Attempt): AuditDraft {
  const people = new Set<string>();
  const t = a.transition;
  for (const p of [a.before?.assignee, t?.assignee, t?.freed]) if (p) people.add(p.id);
  if (a.target?.kind === 'volunteer' || a.target?.kind === 'team') people.add(a.target.id);
  const after = t ? { state: t.to, version: t.version } : (a.created ?? a.before);
  return {
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
  };
}
