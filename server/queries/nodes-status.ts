/**
 * `nodes.status`. Orders and appeals turn overdue with time alone, hence the short refresh. A live
 * server answers from its own figures (live/figures.ts): over 100 M events the SQL's four statements
 * took 60–95 ms, the figures a few. A replay has none and reads its past store.
 */
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
  run: (ctx, params, scope) =>
    ctx.figures
      ? Promise.resolve(ctx.figures.nodeStatus(ctx.now, params, scope))
      : queryNodeStatus(ctx.store, ctx.now, params, scope),
};
