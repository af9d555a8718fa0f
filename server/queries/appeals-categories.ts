/**
 * `appeals.categories`. Appeals turn overdue with time alone, hence the refresh. A live server
 * answers from its own figures (live/figures.ts): over 100 M events the SQL checked 30 days of
 * appeals (248 k) against those closed in 65–125 ms. A replay has none and reads its past store.
 */
import { EventType } from '../../shared/events.js';
import { queryAppealCategories } from '../store/panel-repository.js';
import type { QueryDefinition } from './definition.js';

export const appealsCategories: QueryDefinition<'appeals.categories'> = {
  sources: () => [EventType.appealReceived, EventType.appealClosed],
  refreshMs: 60_000,
  run: (ctx, params, scope) =>
    ctx.figures
      ? Promise.resolve(ctx.figures.appealCategories(ctx.now, params, scope))
      : queryAppealCategories(ctx.store, ctx.now, params, scope),
};
