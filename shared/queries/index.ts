/**
 * Panel queries: a wall panel names one of these queries, a scope and its parameters; the server
 * evaluates each distinct (query, scope, parameters) once per change of its sources, however many
 * screens watch it, and pushes the result only when it changed.
 *
 * One file per query in this folder holds its contract — the parameter schema (additionalProperties
 * false: a typo is an error, not a default) and the result type — which the server's validation
 * and the client's types share; `server/queries/<name>.ts` adds what only the server knows (its
 * sources, refresh and run). This map is the list of names.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { AppealsCategoriesParams, type CategoryCount } from './appeals-categories.js';
import { BrandsRankingParams, type BrandRow } from './brands-ranking.js';
import { CoverageParams, type CoverageResult } from './coverage.js';
import { DispatchSummaryParams, type StateCount } from './dispatch-summary.js';
import { EvaluationParams, type EvaluationResult } from './evaluation.js';
import { HeatParams, type HeatPoint } from './heat.js';
import { KpiCompareParams, type KpiCompareResult } from './kpi-compare.js';
import { MediaPropagationParams, type MediaPropagation } from './media-propagation.js';
import { NodesStatusParams, type NodeStatus } from './nodes-status.js';
import { OrdersClosureParams, type ClosureRow } from './orders-closure.js';
import { TrendParams, type TrendResult } from './trend.js';

export const QUERY_PARAMS = {
  trend: TrendParams,
  'appeals.categories': AppealsCategoriesParams,
  heat: HeatParams,
  'nodes.status': NodesStatusParams,
  coverage: CoverageParams,
  'dispatch.summary': DispatchSummaryParams,
  'kpi.compare': KpiCompareParams,
  evaluation: EvaluationParams,
  'brands.ranking': BrandsRankingParams,
  'media.propagation': MediaPropagationParams,
  'orders.closure': OrdersClosureParams,
} satisfies Record<string, TSchema>;
export type QueryName = keyof typeof QUERY_PARAMS;
export type QueryParams<Q extends QueryName> = Static<(typeof QUERY_PARAMS)[Q]>;
export const QUERY_NAMES = Object.keys(QUERY_PARAMS) as QueryName[];

/** The result type of every named query. */
export interface QueryResults {
  trend: TrendResult;
  'appeals.categories': CategoryCount[];
  heat: HeatPoint[];
  'nodes.status': NodeStatus[];
  coverage: CoverageResult;
  'dispatch.summary': StateCount[];
  'kpi.compare': KpiCompareResult;
  evaluation: EvaluationResult;
  'brands.ranking': BrandRow[];
  'media.propagation': MediaPropagation;
  'orders.closure': ClosureRow[];
}

export const QuerySubscribeSchema = Type.Object(
  {
    query: Type.Enum(QUERY_NAMES),
    /** A town or station id; absent = the screen's own scope. */
    scope: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    params: Type.Unknown(),
  },
  { additionalProperties: false },
);
export type QuerySubscribe = Static<typeof QuerySubscribeSchema>;

/**
 * A query's latest result. `data` is absent when a re-evaluation found nothing changed: the update
 * then only moves `asOf`, which is what each tile's freshness shows.
 */
export interface QueryUpdate<Q extends QueryName = QueryName> {
  key: string;
  query: Q;
  asOf: number;
  data?: QueryResults[Q];
}
