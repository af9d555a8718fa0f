/**
 * The dispatch store's pure parts: folding server pushes into the board (versions only move
 * forward, closed orders leave), the optimistic overlay of commands awaiting their ack, the
 * prediction of an order after a command, and what a refusal tells the dispatcher. Maps are
 * replaced, never mutated, so the store can keep them in shallowRefs.
 */
import type { DispatchError, HistoryEntry, OrderCommandBody, OrderView } from '../../shared/dispatch';
import { dueAt } from '../../shared/order-sla';
import { apply, decide, isClosed, type ActingLevel, type OrderCommand, type Places } from '../../shared/orders';
import type { Result } from '../../shared/result';
import { asOrder } from './commands';

export type Board = ReadonlyMap<string, OrderView>;

/** A command sent and not yet answered: what the board shows meanwhile. */
export interface Pending {
  body: OrderCommandBody;
  /** The order as the dispatcher saw it when sending: what a rollback returns to. */
  before: OrderView;
  predicted: OrderView;
  attempts: number;
}

/** Applies a newer (or equal) version of an order; an older one is a late echo and is ignored. */
export function mergeOrder(board: Board, order: OrderView): Board {
  const known = board.get(order.id);
  if (known && known.version > order.version) return board;
  const next = new Map(board);
  if (isClosed(order.state)) next.delete(order.id);
  else next.set(order.id, order);
  return next;
}

export const boardOf = (orders: readonly OrderView[]): Board =>
  new Map(orders.filter((o) => !isClosed(o.state)).map((o) => [o.id, o]));

/**
 * The board as shown: each pending command's prediction over the confirmed order, unless the
 * server already holds that version or a later one (its push overtook the ack).
 */
export function overlay(board: Board, pending: ReadonlyMap<string, Pending>): Board {
  if (pending.size === 0) return board;
  const shown = new Map(board);
  for (const [orderId, p] of pending) {
    const confirmed = board.get(orderId);
    if (confirmed && confirmed.version >= p.predicted.version) continue;
    if (isClosed(p.predicted.state)) shown.delete(orderId);
    else shown.set(orderId, p.predicted);
  }
  return shown;
}

/** The order after `command`, as the server will answer it if nobody got there first. */
export function predict(
  order: OrderView,
  command: OrderCommand,
  actor: string,
  now: number,
  places: Places,
  by: ActingLevel,
): Result<OrderView> {
  const decided = decide(asOrder(order), command, order.version, now, places, by);
  if (!decided.ok) return decided;
  const t = decided.data;
  const after = apply(asOrder(order), t);
  const entry: HistoryEntry = {
    version: t.version,
    from: t.from,
    to: t.to,
    at: now,
    actor,
    assignee: t.assignee?.id ?? '',
    reason: '',
  };
  return {
    ok: true,
    data: { ...order, ...after, dueAt: dueAt(after), history: [...order.history, entry] },
  };
}

/** What the console says about a refusal: the code, and for a stale order who moved it and to what. */
export interface Refusal {
  orderId: string;
  code: string;
  message: string;
  /** The order as it is now (stale versions and illegal transitions carry it). */
  current: OrderView | null;
  /** Who made the change the dispatcher did not see, when the server's order says so. */
  changedBy: string | null;
  changedAt: number | null;
  at: number;
}

export function explainRefusal(orderId: string, error: DispatchError, at: number): Refusal {
  const current = error.order ?? null;
  const last = current?.history[current.history.length - 1];
  return {
    orderId,
    code: error.code,
    message: error.message,
    current,
    changedBy: last?.actor ?? null,
    changedAt: last?.at ?? null,
    at,
  };
}

export type SeqVerdict = 'apply' | 'skip' | 'gap';

/**
 * Where a push stands against the last applied sequence number: the next one applies, an old one
 * (already covered by a snapshot) is skipped, anything further means one was missed.
 */
export function classifySeq(last: number | null, seq: number): SeqVerdict {
  if (last === null) return 'gap';
  if (seq <= last) return 'skip';
  return seq === last + 1 ? 'apply' : 'gap';
}
