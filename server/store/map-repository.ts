/**
 * SQL of the map's panel queries: each node's live figures (`nodes.status`) and the 500 m coverage
 * of sampled residents (`coverage`). Node figures are four narrow reads merged here, rather than one
 * UNION, so each keeps to the events table's key (type, day, …) and its own simple types. A live
 * server answers nodes.status from its own figures (live/figures.ts), equal to this SQL; the SQL
 * answers a replay's past moment and is what those figures are tested against.
 */
import { CLOSED_STATES } from '../../shared/orders.js';
import { EXPIRE_AFTER_MS, ORDER_SLA_MS } from '../../shared/order-sla.js';
import { appealDueParams } from '../../shared/queries/appeals-categories.js';
import { type QueryParams } from '../../shared/queries/index.js';
import { type NodeStatus } from '../../shared/queries/nodes-status.js';
import { WINDOW_MS } from '../../shared/queries/window.js';
import { NO_INDEX_FOR_IN } from './panel-repository.js';
import { APPEAL_LOOKBACK_MS } from './live-figures-repository.js';
import { IN_SCOPE, scopeParams, type ScopeNodes } from './scope-sql.js';
import type { Transport } from './transport.js';
import { ZONE } from './zone.js';

export { queryCoverage } from './coverage-repository.js';

/** States with a time limit, and the limit (ms): `transform` in SQL maps one to the other. */
const SLA = Object.entries<number>(ORDER_SLA_MS);

/** The same scope filter as IN_SCOPE, on another column. */
const inScope = (column: string) => `({all:UInt8} = 1 OR ${column} IN {nodes:Array(String)})`;

type Figures = Omit<NodeStatus, 'id'>;
const EMPTY: Figures = { active: 0, checkins: 0, openOrders: 0, openAppeals: 0, overdue: 0 };

export async function queryNodeStatus(
  t: Transport,
  nowMs: number,
  params: QueryParams<'nodes.status'>,
  scope: ScopeNodes,
): Promise<NodeStatus[]> {
  const bound = {
    now: nowMs,
    from: nowMs - WINDOW_MS[params.window],
    ordersFrom: nowMs - EXPIRE_AFTER_MS,
    appealsFrom: nowMs - APPEAL_LOOKBACK_MS,
    ...appealDueParams(),
    closed: CLOSED_STATES,
    slaStates: SLA.map(([state]) => state),
    slaMs: SLA.map(([, ms]) => ms),
    ...ZONE,
    ...scopeParams(scope),
  };
  const [active, checkins, orders, appeals] = await Promise.all([
    t.query<{ id: string; n: number }>(
      // On duty as the KPI counts it: the last check-in later than the last check-out (on the same
      // millisecond the check-out wins), so the live figures (live/figures.ts) answer the same.
      `SELECT node_id AS id, toUInt32(countIf(checked_in > checked_out)) AS n FROM
         (SELECT node_id, volunteer_id, maxIf(ts, type = 'checkin') AS checked_in,
                 maxIf(ts, type = 'checkout') AS checked_out FROM events
          WHERE type IN ('checkin', 'checkout')
            AND toDate(ts) = toDate(fromUnixTimestamp64Milli({now:Int64}), {tz:String}) AND ${IN_SCOPE}
          GROUP BY node_id, volunteer_id)
       GROUP BY id HAVING n > 0`,
      bound,
    ),
    t.query<{ id: string; n: number }>(
      `SELECT node_id AS id, toUInt32(sum(events)) AS n FROM events_minute
       WHERE type = 'checkin' AND minute >= toStartOfMinute(fromUnixTimestamp64Milli({from:Int64})) AND ${IN_SCOPE}
       GROUP BY id`,
      bound,
    ),
    // An order's venue is where it was requested; its latest transition says whether it is still open.
    t.query<{ id: string; n: number; late: number }>(
      `SELECT venue AS id, toUInt32(count()) AS n,
              toUInt32(countIf(sla > 0 AND entered < {now:Int64} - sla)) AS late
       FROM (SELECT subject_id, argMin(node_id, version) AS venue, argMax(tag, version) AS state,
                    toInt64(max(toUnixTimestamp64Milli(ts))) AS entered,
                    toInt64(transform(state, {slaStates:Array(String)}, {slaMs:Array(Int64)}, toInt64(0))) AS sla
             FROM events WHERE type = 'order.transition' AND ts >= fromUnixTimestamp64Milli({ordersFrom:Int64})
             GROUP BY subject_id HAVING state NOT IN {closed:Array(String)})
       WHERE ${inScope('venue')}
       GROUP BY id`,
      bound,
    ),
    t.query<{ id: string; n: number; late: number }>(
      `SELECT node_id AS id, toUInt32(count()) AS n,
              toUInt32(countIf({now:Int64} - toUnixTimestamp64Milli(ts)
                               > transform(tag, {dueCategories:Array(String)}, {dueMs:Array(Int64)}, toInt64(0)))) AS late
       FROM events
       WHERE type = 'appeal.received' AND ts >= fromUnixTimestamp64Milli({appealsFrom:Int64}) AND ${IN_SCOPE}
         AND subject_id NOT IN (SELECT subject_id FROM events WHERE type = 'appeal.closed'
                                AND ts >= fromUnixTimestamp64Milli({appealsFrom:Int64}))
       GROUP BY id
       SETTINGS ${NO_INDEX_FOR_IN}`,
      bound,
    ),
  ]);
  const byId = new Map<string, Figures>();
  const add = (id: string, patch: Partial<Figures>): void => {
    const current = byId.get(id) ?? { ...EMPTY };
    byId.set(id, {
      active: current.active + (patch.active ?? 0),
      checkins: current.checkins + (patch.checkins ?? 0),
      openOrders: current.openOrders + (patch.openOrders ?? 0),
      openAppeals: current.openAppeals + (patch.openAppeals ?? 0),
      overdue: current.overdue + (patch.overdue ?? 0),
    });
  };
  for (const r of active) add(r.id, { active: r.n });
  for (const r of checkins) add(r.id, { checkins: r.n });
  for (const r of orders) add(r.id, { openOrders: r.n, overdue: r.late });
  for (const r of appeals) add(r.id, { openAppeals: r.n, overdue: r.late });
  // Sorted so an unchanged answer serializes the same and the hub does not push it again.
  return [...byId].map(([id, f]) => ({ id, ...f })).sort((a, b) => a.id.localeCompare(b.id));
}
