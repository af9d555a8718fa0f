/** `kpi.compare`: yesterday's side moves with the clock alone, hence the refresh. */
import { EventType } from '../../shared/events.js';
import { queryKpiCompare } from '../store/compare-repository.js';
import type { QueryDefinition } from './definition.js';

export const kpiCompare: QueryDefinition<'kpi.compare'> = {
  sources: () => [
    EventType.checkin,
    EventType.appealReceived,
    EventType.appealClosed,
    EventType.order,
    EventType.checkout,
    EventType.mediaRead,
  ],
  refreshMs: 60_000,
  run: (ctx, params, scope) => queryKpiCompare(ctx.store, ctx.now, params, scope),
};
