/** `heat`: reads appeals, orders or both, as the parameters say. */
import { EventType } from '../../shared/events.js';
import { queryHeat } from '../store/panel-repository.js';
import type { QueryDefinition } from './definition.js';

export const heat: QueryDefinition<'heat'> = {
  sources: (p) =>
    p.source === 'appeals'
      ? [EventType.appealReceived]
      : p.source === 'orders'
        ? [EventType.order]
        : [EventType.appealReceived, EventType.order],
  refreshMs: 60_000,
  run: (ctx, params, scope) => queryHeat(ctx.store, ctx.now, params, scope),
};
