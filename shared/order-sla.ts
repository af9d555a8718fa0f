/**
 * Time limits per order state (SLA) as data, and the pure rule the server's timer applies: a level
 * that does not act within its limit loses the order one level up (自动上报); an order nobody has
 * taken within EXPIRE_AFTER_MS closes as expired (超时无人接单).
 */
import type { OrderState } from './events.js';
import { OrderCommandType, type Order } from './orders.js';

const MINUTE = 60_000;

/** How long each level may hold an order in a state before it is overdue. */
export const ORDER_SLA_MS: Readonly<Partial<Record<OrderState, number>>> = {
  /** 中心制单: the center takes the request. */
  requested: 30 * MINUTE,
  /** The center dispatches to a 所. */
  accepted_by_center: 30 * MINUTE,
  /** The 所 dispatches to a 站. */
  dispatched_institute: 30 * MINUTE,
  /** A volunteer or team of the 站 claims it (接单). */
  dispatched_station: 120 * MINUTE,
  /** The claimant starts the service. */
  claimed: 240 * MINUTE,
};

/** An order still unclaimed this long after the request expires (the backfill uses the same 48 h). */
export const EXPIRE_AFTER_MS = 48 * 60 * MINUTE;

const UNCLAIMED: readonly OrderState[] = [
  'requested',
  'accepted_by_center',
  'dispatched_institute',
  'dispatched_station',
];
const ESCALATES: readonly OrderState[] = ['dispatched_institute', 'dispatched_station'];

/** When the order's current state runs out of time; null when its state has no limit. */
export function dueAt(order: Pick<Order, 'state' | 'stateEnteredAt'>): number | null {
  const limit = ORDER_SLA_MS[order.state];
  return limit === undefined ? null : order.stateEnteredAt + limit;
}

export const isOverdue = (order: Pick<Order, 'state' | 'stateEnteredAt'>, now: number): boolean => {
  const due = dueAt(order);
  return due !== null && now >= due;
};

/**
 * What the timer does to an order now: expire an old unclaimed one, escalate an overdue 所 or 站,
 * or nothing (an overdue center or claimant is shown as overdue, there is no level above to take it).
 */
export function timerAction(
  order: Pick<Order, 'state' | 'stateEnteredAt' | 'createdAt'>,
  now: number,
): typeof OrderCommandType.expire | typeof OrderCommandType.escalate | null {
  if (UNCLAIMED.includes(order.state) && now - order.createdAt >= EXPIRE_AFTER_MS) return OrderCommandType.expire;
  if (ESCALATES.includes(order.state) && isOverdue(order, now)) return OrderCommandType.escalate;
  return null;
}
