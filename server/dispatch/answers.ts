/**
 * The first answer to a sender's command id, whatever its retries; a retry is audited as replayed.
 * Keyed by the sender too: another principal's same id (a guessed or copied one, the timer's) is
 * never answered from here, nor does it decide what the first sender's retry gets.
 */
import { DispatchCode, type CommandAck } from '../../shared/dispatch.js';
import type { DispatchActor } from './actor.js';
import { auditRecord, type AuditDraft } from './audit-record.js';

const KEPT = 20_000;
/**
 * Refusals not kept as a command's answer: they depend on who sent it (scope) or on the moment
 * (an order not there yet, a full ingest), so a retry is decided again.
 */
const NOT_KEPT: ReadonlySet<string> = new Set([
  DispatchCode.forbidden,
  DispatchCode.notFound,
  DispatchCode.unavailable,
  DispatchCode.sharedUnavailable,
  DispatchCode.internal,
]);

export interface Asked {
  actor: DispatchActor;
  commandId: string;
  orderId: string;
  /** A command type or `request`. */
  action: string;
}

export class SenderAnswers {
  private readonly answers = new Map<string, Promise<CommandAck>>();

  constructor(
    private readonly record: (draft: AuditDraft) => void,
    private readonly now: () => number,
  ) {}

  async once(asked: Asked, run: () => Promise<CommandAck>): Promise<CommandAck> {
    const key = `${asked.actor.id}\u0000${asked.commandId.toLowerCase()}`;
    const first = this.answers.get(key);
    if (first) {
      const answer = await first;
      this.record(replayRecord(asked, this.now(), answer));
      return answer.ok ? { ok: true, data: { ...answer.data, replayed: true } } : answer;
    }
    const pending = run();
    this.answers.set(key, pending);
    if (this.answers.size > KEPT) {
      const oldest = this.answers.keys().next();
      if (!oldest.done) this.answers.delete(oldest.value);
    }
    const answer = await pending;
    if (!answer.ok && NOT_KEPT.has(answer.error.code)) this.answers.delete(key);
    return answer;
  }
}

/** A retry of a command id already answered: the order as that answer left it, before and after. */
function replayRecord(asked: Asked, at: number, answer: CommandAck): AuditDraft {
  const order = answer.ok ? answer.data.order : answer.error.order;
  return auditRecord({
    ...asked,
    at,
    before: order,
    result: 'replayed',
    code: answer.ok ? '' : answer.error.code,
    message: 'a retry of a command already answered',
  });
}
