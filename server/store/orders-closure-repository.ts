/**
 * SQL of 各所点单办结率: the orders requested in the window (their `requested` transition in it), each
 * with the state its latest transition left it in, counted per 所 — or per 站 inside a town (a 点's
 * orders count for its 站). Reads only the window's `order.transition` rows, a narrow range of the
 * events table's key, as the dispatch summary does. Only orders with a `requested` transition in
 * the window are grouped (the HAVING keeps no other): grouping by id every order that moved in the
 * 30 days cost 68–116 ms over 100 M events (per 10 M bulk events 35 k transitions of 31 k orders,
 * of which 266 requested in the window); the subquery picks those first, and the answer is the same.
 */
import { EventType, OrderState } from '../../shared/events.js';
import { DONE_STATES, type ClosureRow, type OrdersClosureParams } from '../../shared/queries/orders-closure.js';
import { WINDOW_MS } from '../../shared/queries/window.js';
import { NO_INDEX_FOR_IN } from './panel-repository.js';
import { IN_SCOPE, scopeParams, type ScopeNodes } from './scope-sql.js';
import type { Transport } from './transport.js';

/** A station's own id, or its parent's for a point. */
const stationOf = `(SELECT id, if(level = 'station', id, ifNull(parent_id, '')) AS station FROM nodes FINAL
                    WHERE level IN ('station', 'point'))`;

/** The window's order transitions in scope. */
const WINDOW = `type = {type:String} AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ${IN_SCOPE}`;

export async function queryOrdersClosure(
  t: Transport,
  nowMs: number,
  params: OrdersClosureParams,
  scope: ScopeNodes,
): Promise<ClosureRow[]> {
  // The whole district ranks its towns; a town (or a station) its stations.
  const unit = scope === null ? 'o.institute' : 's.station';
  const join = scope === null ? '' : `INNER JOIN ${stationOf} AS s ON s.id = o.node`;
  return t.query<ClosureRow>(
    `SELECT ${unit} AS id, any(n.name) AS name, toUInt32(count()) AS requested,
            toUInt32(countIf(o.state IN {done:Array(String)})) AS done
     FROM (SELECT subject_id, argMax(tag, version) AS state, argMin(node_id, version) AS node,
                  argMin(institute_id, version) AS institute
           FROM events
           WHERE ${WINDOW} AND subject_id IN (SELECT subject_id FROM events WHERE ${WINDOW} AND tag = {requested:String})
           GROUP BY subject_id
           HAVING countIf(tag = {requested:String}) > 0) AS o
     ${join}
     INNER JOIN (SELECT id, name FROM nodes FINAL) AS n ON n.id = ${unit}
     GROUP BY id ORDER BY id
     SETTINGS ${NO_INDEX_FOR_IN}`,
    {
      type: EventType.order,
      requested: OrderState.requested,
      done: [...DONE_STATES],
      from: nowMs - WINDOW_MS[params.window],
      ...scopeParams(scope),
    },
  );
}
