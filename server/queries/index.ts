/**
 * The named queries the hub can subscribe screens to, by name: one file per query in this folder
 * (its sources, refresh and run; the parameter schema and result type are shared/queries/<name>.ts).
 */
import { Compile } from 'typebox/compile';
import { QUERY_PARAMS, type QueryName } from '../../shared/queries/index.js';
import { appealsCategories } from './appeals-categories.js';
import { brandsRanking } from './brands-ranking.js';
import { coverage } from './coverage.js';
import type { QueryDefinition } from './definition.js';
import { dispatchSummary } from './dispatch-summary.js';
import { evaluation } from './evaluation.js';
import { heat } from './heat.js';
import { kpiCompare } from './kpi-compare.js';
import { mediaPropagation } from './media-propagation.js';
import { nodesStatus } from './nodes-status.js';
import { ordersClosure } from './orders-closure.js';
import { trend } from './trend.js';

export const QUERIES: { [Q in QueryName]: QueryDefinition<Q> } = {
  trend,
  'appeals.categories': appealsCategories,
  heat,
  'nodes.status': nodesStatus,
  coverage,
  'dispatch.summary': dispatchSummary,
  'kpi.compare': kpiCompare,
  evaluation,
  'brands.ranking': brandsRanking,
  'media.propagation': mediaPropagation,
  'orders.closure': ordersClosure,
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
