/** `dispatch.summary`: every order transition may move a count. */
import { EventType } from '../../shared/events.js';
import { queryDispatchSummary } from '../store/dispatch-summary-repository.js';
import type { QueryDefinition } from './definition.js';

export const dispatchSummary: QueryDefinition<'dispatch.summary'> = {
  sources: () => [EventType.order],
  refreshMs: 60_000,
  run: (ctx, params, scope) => queryDispatchSummary(ctx.store, ctx.now, params, scope),
};
