/**
 * SQL of the team and volunteer board (shared/teams.ts) and of where a volunteer was last seen. A
 * volunteer is 在岗 when their last check-in today is later than their last check-out (as the KPI
 * tile counts it), 服务中 when an order someone is on (STAFFED_STATES) names them last; a team's
 * ordersToday counts the orders its members, or the team itself, took (接单) today.
 */
import { STAFFED_STATES } from '../../shared/orders.js';
import type { VolunteerRow } from './orders-repository.js';
import type { Transport } from './transport.js';

/** How far back an order can still be open: orders expire after 48 hours unanswered. */
const OPEN_ORDER_WINDOW_MS = 7 * 86_400_000;

/** Check-ins and check-outs since `since`, per volunteer of `volunteers` (a subquery of ids). */
const PRESENCE = (volunteers: string) => `(SELECT volunteer_id AS vid,
    maxIf(ts, type = 'checkin') AS last_in, maxIf(ts, type = 'checkout') AS last_out,
    argMaxIf(node_id, ts, type = 'checkin') AS in_node
  FROM events
  WHERE type IN ('checkin', 'checkout') AND ts >= fromUnixTimestamp64Milli({since:Int64}) AND volunteer_id IN ${volunteers}
  GROUP BY vid)`;

/** Per assignee (a volunteer or a team): the open staffed orders on them, the newest first. */
const ON_ORDERS = `(SELECT assignee, toUInt32(count()) AS open, argMax(oid, moved) AS order_id,
    argMax(title, moved) AS order_title, argMax(state, moved) AS order_state
  FROM (SELECT subject_id AS oid, argMax(tag, version) AS state, argMax(volunteer_id, version) AS assignee,
               argMin(title, version) AS title, max(ts) AS moved
        FROM events WHERE type = 'order.transition' AND ts >= fromUnixTimestamp64Milli({ordersSince:Int64})
        GROUP BY oid
        HAVING state IN {staffed:Array(String)} AND assignee != '')
  GROUP BY assignee)`;

/** Per assignee: the orders taken (claimed) since the day began. */
const TAKEN_TODAY = `(SELECT volunteer_id AS taker, toUInt32(uniqExact(subject_id)) AS n FROM events
  WHERE type = 'order.transition' AND tag = 'claimed' AND ts >= fromUnixTimestamp64Milli({dayStart:Int64})
    AND volunteer_id != ''
  GROUP BY taker)`;

const PRESENT = 'p.last_in >= fromUnixTimestamp64Milli({dayStart:Int64}) AND p.last_in > p.last_out';

function bound(nowMs: number, dayStartMs: number, freshMs: number) {
  return {
    since: Math.min(dayStartMs, nowMs - freshMs),
    dayStart: dayStartMs,
    ordersSince: nowMs - OPEN_ORDER_WINDOW_MS,
    staffed: STAFFED_STATES,
  };
}

export interface TeamRow {
  id: string;
  town: string;
  stationId: string;
  skill: string;
  members: number;
  onDuty: number;
  serving: number;
  ordersToday: number;
}

/** Every 小队 of these towns with its figures now. */
export async function teamsOfTowns(
  t: Transport,
  towns: readonly string[],
  nowMs: number,
  dayStartMs: number,
  freshMs: number,
): Promise<TeamRow[]> {
  if (towns.length === 0) return [];
  const ids = '(SELECT id FROM volunteers WHERE institute_id IN {towns:Array(String)})';
  return t.query<TeamRow>(
    `SELECT v.team_id AS id, any(v.institute_id) AS town, any(v.station_id) AS stationId,
            arrayElement(arraySort(groupArrayIntersect(v.skills)), 1) AS skill,
            toUInt32(count()) AS members,
            toUInt32(countIf(o.open > 0)) AS serving,
            toUInt32(countIf(o.open = 0 AND ${PRESENT})) AS onDuty,
            toUInt32(sum(k.n) + any(kt.n)) AS ordersToday
     FROM volunteers AS v FINAL
     LEFT JOIN ${PRESENCE(ids)} AS p ON p.vid = v.id
     LEFT JOIN ${ON_ORDERS} AS o ON o.assignee = v.id
     LEFT JOIN ${TAKEN_TODAY} AS k ON k.taker = v.id
     LEFT JOIN ${TAKEN_TODAY} AS kt ON kt.taker = v.team_id
     WHERE v.institute_id IN {towns:Array(String)}
     GROUP BY id
     ORDER BY serving + onDuty DESC, id`,
    { towns, ...bound(nowMs, dayStartMs, freshMs) },
  );
}

export interface MemberRow {
  id: string;
  name: string;
  stationId: string;
  lastIn: number;
  lastOut: number;
  inNode: string;
  orderId: string;
  orderTitle: string;
  orderState: string;
  ordersToday: number;
}

/** The members of one 小队 with where they checked in last, the order they are on, and today's orders. */
export async function membersOfTeam(
  t: Transport,
  teamId: string,
  nowMs: number,
  dayStartMs: number,
  freshMs: number,
): Promise<MemberRow[]> {
  const ids = '(SELECT id FROM volunteers WHERE team_id = {team:String})';
  return t.query<MemberRow>(
    `SELECT v.id AS id, v.name AS name, v.station_id AS stationId,
            toUnixTimestamp64Milli(p.last_in) AS lastIn, toUnixTimestamp64Milli(p.last_out) AS lastOut,
            p.in_node AS inNode, o.order_id AS orderId, o.order_title AS orderTitle, o.order_state AS orderState,
            k.n AS ordersToday
     FROM volunteers AS v FINAL
     LEFT JOIN ${PRESENCE(ids)} AS p ON p.vid = v.id
     LEFT JOIN ${ON_ORDERS} AS o ON o.assignee = v.id
     LEFT JOIN ${TAKEN_TODAY} AS k ON k.taker = v.id
     WHERE v.team_id = {team:String}
     ORDER BY o.open > 0 DESC, p.last_in DESC, v.id`,
    { team: teamId, ...bound(nowMs, dayStartMs, freshMs) },
  );
}

export interface LastCheckin {
  id: string;
  nodeId: string;
  at: number;
}

/** Each of these volunteers' last check-in since `sinceMs` (none for one who has not checked in since). */
export async function lastCheckins(t: Transport, ids: readonly string[], sinceMs: number): Promise<LastCheckin[]> {
  if (ids.length === 0) return [];
  return t.query<LastCheckin>(
    `SELECT volunteer_id AS id, argMax(node_id, ts) AS nodeId, toUnixTimestamp64Milli(max(ts)) AS at
     FROM events
     WHERE type = 'checkin' AND ts >= fromUnixTimestamp64Milli({since:Int64}) AND volunteer_id IN {ids:Array(String)}
     GROUP BY id`,
    { ids, since: sinceMs },
  );
}

/**
 * Registry rows of a town's volunteers who checked in there since `sinceMs`, the latest first (at
 * most `limit`): whoever is out in the town now, beside the stations' own lists, for the candidates.
 */
export async function checkedInSince(
  t: Transport,
  instituteId: string,
  sinceMs: number,
  limit: number,
): Promise<VolunteerRow[]> {
  return t.query<VolunteerRow>(
    `SELECT v.id AS id, v.name AS name, v.team_id AS team_id, v.institute_id AS institute_id,
            v.station_id AS station_id, v.skills AS skills
     FROM (SELECT volunteer_id AS vid, max(ts) AS last FROM events
           WHERE type = 'checkin' AND institute_id = {town:String} AND ts >= fromUnixTimestamp64Milli({since:Int64})
           GROUP BY vid ORDER BY last DESC LIMIT {limit:UInt32}) AS c
     INNER JOIN (SELECT id, name, team_id, institute_id, station_id, skills FROM volunteers FINAL
                 WHERE institute_id = {town:String}) AS v ON v.id = c.vid
     ORDER BY c.last DESC`,
    { town: instituteId, since: sinceMs, limit },
  );
}
