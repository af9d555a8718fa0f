/** `nodes.status`. Orders and appeals turn overdue with time alone, hence the short refresh. */
import { EventType } from '../../shared/events.js';
import { queryNodeStatus } from '../store/map-repository.js';
import type { QueryDefinition } from './definition.js';

export const nodesStatus: QueryDefinition<'nodes.status'> = {
  sources: () => [
    EventType.checkin,
    EventType.checkout,
    EventType.order,
    EventType.appealReceived,
    EventType.appealClosed,
  ],
  refreshMs: 30_000,
  run: (ctx, params, scope) => queryNodeStatus(ctx.store, ctx.now, params, scope),
};
