/**
 * The wall's named queries. Day boundaries are the county's (shared/time-zone.ts, bound as `{tz:String}`; the columns' zone);
 * counts come from the per-minute and per-day materialized views, so their cost does not grow with
 * the history.
 * Each takes a scope: the node ids of a town or station, or null for the whole district.
 */
import type { TrendPoint } from '../../shared/live.js';
import { closureRate, type KpiSnapshot } from '../../shared/kpi.js';
import type { EventRow } from './events-repository.js';
import { minutesAsHours } from './rollup-sql.js';
import { IN_SCOPE, scopeParams, type ScopeNodes } from './scope-sql.js';
import type { Transport } from './transport.js';
import { ZONE } from './zone.js';

interface KpiRow {
  checkins_today: number;
  appeals_received_before: number;
  appeals_closed_before: number;
  appeals_received_today: number;
  appeals_closed_today: number;
  reads_today: number;
}

/**
 * Volunteers on duty and distinct activities today in a scope, as a live server keeps them
 * (live/figures.ts): over 100 M events their SQL below was half of the KPI's time.
 */
export type TodayCounts = (nowMs: number, scope: ScopeNodes) => { active: number; activities: number };

/** The registry's volunteers in scope: by their 所 or 站. */
const REGISTERED_IN_SCOPE =
  '{all:UInt8} = 1 OR institute_id IN {nodes:Array(String)} OR station_id IN {nodes:Array(String)}';

export async function queryKpi(
  t: Transport,
  nowMs: number,
  scope: ScopeNodes = null,
  /** The live server's counts; without them (a replay, the benchmarks' baseline) the SQL counts. */
  todayCounts?: TodayCounts,
): Promise<KpiSnapshot> {
  if (todayCounts) return liveKpi(t, nowMs, scope, todayCounts(nowMs, scope));
  const params = { now: nowMs, ...ZONE, ...scopeParams(scope) };
  // Today's counts from the hour and minute rollups (rollup-sql.ts); all-time ones from the monthly
  // one before this month, the daily one for this month up to yesterday, and today's: so a store read
  // as of a past minute (store/as-of.ts, 回放) counts that day's appeals up to that minute, not the
  // whole day. A year of days for every site was 340 k rows over 100 M events; months and days, 20 k.
  const todaySpan = minutesAsHours(
    'midnight',
    'at',
    `type IN ('checkin', 'media.read', 'appeal.received', 'appeal.closed') AND ${IN_SCOPE}`,
    'type, events, value',
    true,
  );
  const [[sums], [today], [volunteers]] = await Promise.all([
    t.query<KpiRow>(
      `WITH toDateTime(fromUnixTimestamp64Milli({now:Int64}), {tz:String}) AS at, toStartOfDay(at, {tz:String}) AS midnight,
            toStartOfMonth(midnight) AS month_start
     SELECT * FROM
       (SELECT sumIf(events, type = 'checkin') AS checkins_today, toUInt64(sumIf(value, type = 'media.read')) AS reads_today,
               sumIf(events, type = 'appeal.received') AS appeals_received_today,
               sumIf(events, type = 'appeal.closed') AS appeals_closed_today
        FROM ${todaySpan}) AS today,
       (SELECT sumIf(events, type = 'appeal.received') AS appeals_received_before,
               sumIf(events, type = 'appeal.closed') AS appeals_closed_before
        FROM (SELECT type, events FROM events_month
              WHERE type IN ('appeal.received', 'appeal.closed') AND month < month_start AND ${IN_SCOPE}
              UNION ALL
              SELECT type, events FROM events_day
              WHERE type IN ('appeal.received', 'appeal.closed') AND day >= month_start AND day < toDate(midnight)
                AND ${IN_SCOPE})) AS all_time`,
      params,
    ),
    // A volunteer is on duty while their last check-in of the day is later than their last
    // check-out (on the same millisecond the check-out wins).
    t.query<{ activities: number; active: number }>(
      `WITH toDate(fromUnixTimestamp64Milli({now:Int64}), {tz:String}) AS today
     SELECT
       (SELECT uniqExact(subject_id) FROM events WHERE type = 'checkin' AND toDate(ts) = today AND ${IN_SCOPE}) AS activities,
       (SELECT countIf(checked_in > checked_out) FROM
         (SELECT maxIf(ts, type = 'checkin') AS checked_in, maxIf(ts, type = 'checkout') AS checked_out FROM events
          WHERE type IN ('checkin', 'checkout') AND toDate(ts) = today AND ${IN_SCOPE} GROUP BY volunteer_id)) AS active`,
      params,
    ),
    t.query<{ n: number }>(`SELECT count() AS n FROM volunteers FINAL WHERE ${REGISTERED_IN_SCOPE}`, params),
  ]);
  const received = (sums?.appeals_received_before ?? 0) + (sums?.appeals_received_today ?? 0);
  const closed = (sums?.appeals_closed_before ?? 0) + (sums?.appeals_closed_today ?? 0);
  return {
    registeredVolunteers: volunteers?.n ?? 0,
    volunteersActive: today?.active ?? 0,
    activitiesToday: today?.activities ?? 0,
    checkinsToday: sums?.checkins_today ?? 0,
    appealsReceived: received,
    appealsClosed: closed,
    appealClosureRate: closureRate(received, closed),
    mediaReadsToday: sums?.reads_today ?? 0,
    asOf: nowMs,
  };
}

/**
 * The KPI of a live server, in one statement (chdb answers one at a time, so each statement more
 * is its own turn). Live, "all time" reaches the newest event, so the whole monthly rollup holds
 * what a replay's cut store must count apart (the months before this one, this month's days before
 * today, today's minutes). Over 100 M events the KPI took p50 12.7 against 19.3 ms for
 * the district, 15.8 against 24.3 for a town (the split sums, and the registry's count in a
 * statement of its own; timed alternately at load average 6–7).
 */
async function liveKpi(
  t: Transport,
  nowMs: number,
  scope: ScopeNodes,
  counts: { active: number; activities: number },
): Promise<KpiSnapshot> {
  const todaySpan = minutesAsHours(
    'midnight',
    'at',
    `type IN ('checkin', 'media.read') AND ${IN_SCOPE}`,
    'type, events, value',
    true,
  );
  const [row] = await t.query<{
    checkins_today: number;
    reads_today: number;
    received: number;
    closed: number;
    registered: number;
  }>(
    `WITH toDateTime(fromUnixTimestamp64Milli({now:Int64}), {tz:String}) AS at, toStartOfDay(at, {tz:String}) AS midnight
     SELECT * FROM
       (SELECT sumIf(events, type = 'checkin') AS checkins_today, toUInt64(sumIf(value, type = 'media.read')) AS reads_today
        FROM ${todaySpan}) AS today,
       (SELECT sumIf(events, type = 'appeal.received') AS received, sumIf(events, type = 'appeal.closed') AS closed
        FROM events_month WHERE type IN ('appeal.received', 'appeal.closed') AND ${IN_SCOPE}) AS all_time,
       (SELECT count() AS registered FROM volunteers FINAL WHERE ${REGISTERED_IN_SCOPE}) AS registry`,
    { now: nowMs, ...ZONE, ...scopeParams(scope) },
  );
  const received = row?.received ?? 0;
  const closed = row?.closed ?? 0;
  return {
    registeredVolunteers: row?.registered ?? 0,
    volunteersActive: counts.active,
    activitiesToday: counts.activities,
    checkinsToday: row?.checkins_today ?? 0,
    appealsReceived: received,
    appealsClosed: closed,
    appealClosureRate: closureRate(received, closed),
    mediaReadsToday: row?.reads_today ?? 0,
    asOf: nowMs,
  };
}

/** Check-ins per minute over the last `minutes` minutes (minutes without any are absent). */
export async function queryCheckinTrend(
  t: Transport,
  nowMs: number,
  minutes: number,
  scope: ScopeNodes = null,
): Promise<TrendPoint[]> {
  return t.query<TrendPoint>(
    `SELECT toUnixTimestamp(minute) * 1000 AS t, sum(events) AS checkins
     FROM events_minute
     WHERE type = 'checkin' AND minute > fromUnixTimestamp64Milli({now:Int64}) - toIntervalMinute({minutes:UInt32})
       AND ${IN_SCOPE}
     GROUP BY minute`,
    { now: nowMs, minutes, ...scopeParams(scope) },
  );
}

/**
 * The newest events of the day before `nowMs` worth a line on the scroll board, for a screen that just
 * connected (shared/live-merge.ts's order); a replay names its own moment.
 */
export async function queryRecentEvents(
  t: Transport,
  limit: number,
  scope: ScopeNodes = null,
  nowMs = Date.now(),
): Promise<EventRow[]> {
  // Aliases differ from column names: ClickHouse would let an alias shadow its column in WHERE.
  const rows = await t.query<Omit<EventRow, 'id' | 'ts'> & { event_id: string; ts_ms: number }>(
    `SELECT toString(id) AS event_id, type, toUnixTimestamp64Milli(ts) AS ts_ms, node_id, institute_id, subject_id,
            volunteer_id, tag, value, actor, person_name, person_phone, title, version, lat, lon
     FROM events
     WHERE type IN ('checkin', 'appeal.received', 'media.published', 'order.transition')
       AND ts > fromUnixTimestamp64Milli({now:Int64}) - INTERVAL 1 DAY AND ${IN_SCOPE}
     ORDER BY ts DESC, event_id DESC
     LIMIT {limit:UInt32}`,
    { limit, now: nowMs, ...scopeParams(scope) },
  );
  return rows.map(({ event_id, ts_ms, ...rest }) => ({ ...rest, id: event_id, ts: ts_ms }));
}
