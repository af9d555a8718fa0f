/**
 * The one way a decision takes effect, for commands and 点单 alike: its events through ingest (the
 * write-ahead log) before anything else, then the projection and the volunteers, the audit row, the
 * pushes, and the answer. A decision ingest did not take becomes what `unwritten` says.
 */
import { DispatchCode, type CommandAck, type OrderView } from '../../shared/dispatch.js';
import type { PracticeEvent } from '../../shared/events.js';
import { isClosed, type Order } from '../../shared/orders.js';
import type { AuditTrail } from './audit-trail.js';
import { unwritten, type Decision } from './decision.js';
import type { KnownEvents } from './known-events.js';
import type { WriteOutcome } from './outcome.js';
import type { Projection } from './projection.js';
import type { VolunteerBoard } from './volunteers.js';

export interface CommitTarget {
  write(events: PracticeEvent[]): Promise<WriteOutcome>;
  projection: Projection;
  volunteers: VolunteerBoard;
  known: KnownEvents;
  audit: AuditTrail;
  /** Settles the order's offers, pushes it and tells the other nodes (`d` is the accepted decision). */
  emitOrder(d: Decision, order: Order, previousInstituteId: string): Promise<void>;
  emitVolunteer(id: string): void;
}

/**
 * `settle(kept)`: the version this decision claimed (order-versions.ts) is kept once its events are
 * written, and given back when they are not — before anything else can read the order again.
 */
export async function commit(
  to: CommitTarget,
  decided: Decision,
  settle: (kept: boolean) => Promise<void> = () => Promise.resolve(),
): Promise<CommandAck> {
  let d = decided;
  if (d.events.length > 0) {
    const written = await to.write(d.events);
    if (written !== 'accepted') d = unwritten(d, written);
    await settle(d.result === 'ok');
  }
  const touched = d.result === 'ok' && d.state ? applyTo(to, d, d.state) : [];
  to.audit.record(d.audit);
  if (d.result === 'ok' && d.state) {
    await to.emitOrder(d, d.state, d.before?.instituteId ?? d.state.instituteId);
    for (const id of touched) to.emitVolunteer(id);
  }
  return answerOf(d, (o) => to.projection.view(o));
}

/** Folds an accepted decision into the projection and the volunteers; answers who it touched. */
function applyTo(to: CommitTarget, d: Decision, after: Order): string[] {
  to.projection.set(after);
  if (d.history) to.projection.record(after.id, d.history);
  for (const e of d.events) to.known.add(e.id);
  const touched = new Set<string>();
  const freed = d.transition?.freed;
  if (freed) {
    to.volunteers.track(freed.id, after.id, false);
    touched.add(freed.id);
  }
  if (after.assignee) {
    to.volunteers.track(after.assignee.id, after.id, true, after.state === 'in_service');
    touched.add(after.assignee.id);
  }
  for (const e of d.events) if (e.type === 'volunteer.status') to.volunteers.report(e.volunteerId, e.status);
  if (isClosed(after.state)) to.projection.closed(after.id);
  return [...touched];
}

/** The command's answer: the order after (a replay's as it is), or the refusal. */
export function answerOf(d: Decision, view: (o: Order) => OrderView): CommandAck {
  if (d.refusal) {
    const { code, message, showOrder } = d.refusal;
    return { ok: false, error: { code, message, ...(showOrder && d.before ? { order: view(d.before) } : {}) } };
  }
  if (!d.state) return { ok: false, error: { code: DispatchCode.internal, message: 'internal error' } };
  return { ok: true, data: { order: view(d.state), replayed: d.result === 'replayed', warnings: d.warnings } };
}
