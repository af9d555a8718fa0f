/**
 * A decision: what one command or 点单 does, decided without I/O from the command and the current
 * state — the events to write, the order after, the audit row, the warnings and, for a refusal,
 * the code. `commit` (commit.ts) applies it; `unwritten` turns an accepted one into what it
 * becomes when ingest did not take its events.
 */
import type { RefusalCode } from '../../shared/codes.js';
import { DispatchCode, type AuditResult, type HistoryEntry } from '../../shared/dispatch.js';
import type { PracticeEvent } from '../../shared/events.js';
import type { NetworkNode } from '../../shared/network.js';
import type { Order, Places, Transition } from '../../shared/orders.js';
import { auditRecord, type Attempt, type AuditDraft } from './audit-record.js';
import type { WriteOutcome } from './outcome.js';

/** What deciding reads, taken from the projection and the registry before it runs. */
export interface DispatchState {
  now: number;
  /** The order the command names, as the projection holds it; undefined when it holds none. */
  order: Order | undefined;
  node(id: string): NetworkNode | undefined;
  places: Places;
  /** The volunteer's open orders besides `exceptOrder`. */
  load(volunteerId: string, exceptOrder: string): number;
  orderIds(volunteerId: string): string[];
  /** Whether an event with this id was written already (before a restart too). */
  known(eventId: string): boolean;
  blockDoubleBooking: boolean;
  /** Whether the order is offered to this volunteer now (派给志愿者: offers.ts). */
  offered(orderId: string, volunteerId: string): boolean;
}

export interface Warning {
  code: string;
  message: string;
}

export interface Decision {
  result: AuditResult;
  /** The order as the command found it. */
  before: Order | undefined;
  /** The order after: the new state, equal to `before` unless `result` is ok. */
  state: Order | undefined;
  /** The state machine's transition; null for a 点单 and for anything not accepted. */
  transition: Transition | null;
  /** Written through ingest before anything else happens; empty unless `result` is ok. */
  events: PracticeEvent[];
  /** The line the order's pushed history gains; null unless `result` is ok. */
  history: HistoryEntry | null;
  attempt: Attempt;
  audit: AuditDraft;
  warnings: Warning[];
  /** A refusal's code and message, and whether the answer shows the order as it is. */
  refusal: { code: RefusalCode; message: string; showOrder: boolean } | null;
  /** A 点单 whose event ingest already holds still makes its order; a command's is a replay. */
  onDuplicate: 'apply' | 'replay';
}

type Base = Omit<Attempt, 'result' | 'code' | 'message'>;

const unchanged = (attempt: Base, result: AuditResult, code: string, message: string, order: Order | undefined) => {
  const full: Attempt = { ...attempt, result, code, message };
  return {
    result,
    before: order,
    state: order,
    transition: null,
    events: [],
    history: null,
    attempt: full,
    audit: auditRecord(full),
    onDuplicate: 'replay' as const,
  };
};

/** Refused: nothing written; the answer says why (with the order as it is when `showOrder`). */
export function refused(
  attempt: Base,
  order: Order | undefined,
  code: RefusalCode,
  message: string,
  opts: { showOrder?: boolean; answer?: string } = {},
): Decision {
  return {
    ...unchanged(attempt, 'refused', code, message, order),
    warnings: [],
    refusal: { code, message: opts.answer ?? message, showOrder: opts.showOrder ?? false },
  };
}

/** Already done: nothing written; `order` as it is, answered as a replay. */
export function replayed(attempt: Base, order: Order, message: string, warnings: Warning[] = []): Decision {
  return { ...unchanged(attempt, 'replayed', '', message, order), warnings, refusal: null };
}

/** What an accepted decision becomes when ingest did not write its events as new. */
export function unwritten(d: Decision, outcome: Exclude<WriteOutcome, 'accepted'>): Decision {
  const { actor, commandId, action, orderId, at, before, target } = d.attempt;
  const base: Base = { actor, commandId, action, orderId, at, before, target };
  if (outcome === 'duplicate') {
    if (d.onDuplicate === 'apply' || d.before === undefined) return d;
    return replayed(base, d.before, 'its event was already written', d.warnings);
  }
  const answer = outcome === DispatchCode.unavailable ? 'ingest is full; retry' : 'the event was refused';
  return refused(base, d.before, outcome, 'not written', { answer });
}
