/**
 * SQL of the wall's dispatch summary: orders requested in the window, counted by the state their
 * latest transition left them in (群众点单 → 中心制单 → 层层派单 → 志愿者接单 → 完成). Reads only the
 * `order.transition` rows of the window, which the events table's key makes a narrow range.
 */
import { EventType } from '../../shared/events.js';
import { type StateCount } from '../../shared/queries/dispatch-summary.js';
import { type QueryParams } from '../../shared/queries/index.js';
import { WINDOW_MS } from '../../shared/queries/window.js';
import { IN_SCOPE, scopeParams, type ScopeNodes } from './scope-sql.js';
import type { Transport } from './transport.js';

export async function queryDispatchSummary(
  t: Transport,
  nowMs: number,
  params: QueryParams<'dispatch.summary'>,
  scope: ScopeNodes,
): Promise<StateCount[]> {
  return t.query<StateCount>(
    `SELECT state, toUInt32(count()) AS orders
     FROM (SELECT subject_id, argMax(tag, version) AS state FROM events
           WHERE type = {type:String} AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ${IN_SCOPE}
           GROUP BY subject_id)
     GROUP BY state ORDER BY state`,
    { type: EventType.order, from: nowMs - WINDOW_MS[params.window], ...scopeParams(scope) },
  );
}
