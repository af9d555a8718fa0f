/** `appeals.categories`. Appeals turn overdue with time alone, hence the refresh. */
import { EventType } from '../../shared/events.js';
import { queryAppealCategories } from '../store/panel-repository.js';
import type { QueryDefinition } from './definition.js';

export const appealsCategories: QueryDefinition<'appeals.categories'> = {
  sources: () => [EventType.appealReceived, EventType.appealClosed],
  refreshMs: 60_000,
  run: (ctx, params, scope) => queryAppealCategories(ctx.store, ctx.now, params, scope),
};
