/**
 * What the server knows of a named query beyond its contract (shared/queries/<name>.ts): the event
 * types it reads, so an ingest flush re-evaluates only the subscriptions whose sources changed;
 * how often it is refreshed anyway (a window slides, a period turns, an order turns overdue, with
 * nothing arriving); and how it runs — through a repository of server/store, whose SQL binds every
 * parameter — given a context that carries the store, the clock and the configuration it reads.
 */
import type { EvaluationConfig } from '../../shared/evaluation.js';
import type { QueryName, QueryParams, QueryResults } from '../../shared/queries/index.js';
import type { LiveFigures } from '../live/figures.js';
import type { ScopeNodes } from '../store/scope-sql.js';
import type { Transport } from '../store/transport.js';

/** The part of the app's configuration queries read, fixed at start (server/config.ts loads it). */
export interface QueryConfig {
  /** 一月一评估 weights: EVALUATION_FILE, or the built-in defaults. */
  evaluation: EvaluationConfig;
}

export interface QueryContext {
  store: Transport;
  /** The evaluation's clock, epoch ms: windows and periods end here. */
  now: number;
  config: QueryConfig;
  /** A live server's own figures (live/figures.ts); absent for a replay, which reads a past store. */
  figures?: LiveFigures;
}

export interface QueryDefinition<Q extends QueryName> {
  /** Event types whose arrival can change the result. */
  sources: (params: QueryParams<Q>) => readonly string[];
  refreshMs: number;
  run: (ctx: QueryContext, params: QueryParams<Q>, scope: ScopeNodes) => Promise<QueryResults[Q]>;
}
