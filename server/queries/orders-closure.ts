/** `orders.closure`: every order transition may move a count; an order's window slides with the clock. */
import { EventType } from '../../shared/events.js';
import { queryOrdersClosure } from '../store/orders-closure-repository.js';
import type { QueryDefinition } from './definition.js';

export const ordersClosure: QueryDefinition<'orders.closure'> = {
  sources: () => [EventType.order],
  refreshMs: 60_000,
  run: (ctx, params, scope) => queryOrdersClosure(ctx.store, ctx.now, params, scope),
};
