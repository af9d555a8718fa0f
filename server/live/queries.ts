/**
 * The named panel queries the hub can subscribe screens to: for each, the SQL that answers it (in
 * server/store) and the event types it reads, so an ingest flush re-evaluates only the
 * subscriptions whose sources changed. A window slides even when nothing arrives, so every result
 * is also refreshed after `refreshMs`.
 */
import { Compile } from 'typebox/compile';
import { EventType } from '../../shared/events.js';
import { QUERY_PARAMS, type QueryName, type QueryParams, type QueryResults } from '../../shared/queries.js';
import { METRIC_TYPES, queryAppealCategories, queryHeat, queryTrend } from '../store/panel-repository.js';
import { queryCoverage, queryNodeStatus } from '../store/map-repository.js';
import { queryDispatchSummary } from '../store/dispatch-summary-repository.js';
import type { ScopeNodes } from '../store/scope-sql.js';
import { maskTrend } from './mask-panels.js';
import { PANEL_CONTENT_QUERIES } from './panel-content-queries.js';
import type { Transport } from '../store/transport.js';

export interface QueryDefinition<Q extends QueryName> {
  /** Event types whose arrival can change the result. */
  sources: (params: QueryParams<Q>) => readonly string[];
  refreshMs: number;
  run: (store: Transport, now: number, params: QueryParams<Q>, scope: ScopeNodes) => Promise<QueryResults[Q]>;
}

export const QUERIES: { [Q in QueryName]: QueryDefinition<Q> } = {
  ...PANEL_CONTENT_QUERIES,
  trend: {
    // A report published is a new annotation; its reads re-rank them on the refresh timer.
    sources: (p) => [METRIC_TYPES[p.metric], EventType.mediaPublished],
    refreshMs: 30_000,
    run: async (...args) => maskTrend(await queryTrend(...args)),
  },
  'appeals.categories': {
    sources: () => [EventType.appealReceived, EventType.appealClosed],
    refreshMs: 60_000,
    run: queryAppealCategories,
  },
  heat: {
    sources: (p) =>
      p.source === 'appeals'
        ? [EventType.appealReceived]
        : p.source === 'orders'
          ? [EventType.order]
          : [EventType.appealReceived, EventType.order],
    refreshMs: 60_000,
    run: queryHeat,
  },
  'nodes.status': {
    sources: () => [
      EventType.checkin,
      EventType.checkout,
      EventType.order,
      EventType.appealReceived,
      EventType.appealClosed,
    ],
    // Orders and appeals turn overdue with time alone.
    refreshMs: 30_000,
    run: queryNodeStatus,
  },
  coverage: {
    // Depends on the network only, which does not change while the server runs.
    sources: () => [],
    refreshMs: 3_600_000,
    run: queryCoverage,
  },
  'dispatch.summary': {
    sources: () => [EventType.order],
    refreshMs: 60_000,
    run: queryDispatchSummary,
  },
};

const validators = Object.fromEntries(
  Object.entries(QUERY_PARAMS).map(([name, schema]) => [name, Compile(schema)]),
) as { [Q in QueryName]: ReturnType<typeof Compile<(typeof QUERY_PARAMS)[Q]>> };

/** Checks a subscription's parameters against the query's schema; the first problem as text, or null. */
export function paramsProblem(query: QueryName, params: unknown): string | null {
  const validator = validators[query];
  if (validator.Check(params)) return null;
  const [first] = validator.Errors(params);
  return first ? `params${first.instancePath} ${first.message}` : 'invalid params';
}
