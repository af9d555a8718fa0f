/**
 * The wall's named queries. Day boundaries are the county's (Asia/Shanghai, the column's zone);
 * counts come from the per-minute and per-day materialized views, so their cost does not grow with
 * the history.
 * Each takes a scope: the node ids of a town or station, or null for the whole district.
 */
import type { TrendPoint } from '../../shared/live.js';
import { closureRate, type KpiSnapshot } from '../../shared/kpi.js';
import type { EventRow } from './events-repository.js';
import { IN_SCOPE, scopeParams, type ScopeNodes } from './scope-sql.js';
import type { Transport } from './transport.js';

interface KpiRow {
  checkins_today: number;
  appeals_received: number;
  appeals_closed: number;
  reads_today: number;
}

/** A volunteer's last check-in or check-out today. */
export interface PresenceRow {
  id: string;
  checkedIn: boolean;
  ts: number;
}

/** The figures, and the distinct things behind today's two distinct counts (for the live overlay). */
export interface KpiState {
  kpi: KpiSnapshot;
  activities: string[];
  presence: PresenceRow[];
}

export async function queryKpi(t: Transport, nowMs: number, scope: ScopeNodes = null): Promise<KpiSnapshot> {
  return (await queryKpiState(t, nowMs, scope)).kpi;
}

export async function queryKpiState(t: Transport, nowMs: number, scope: ScopeNodes = null): Promise<KpiState> {
  const params = { now: nowMs, ...scopeParams(scope) };
  // Today's counts from the per-minute view (its key starts with type, minute); all-time ones from the daily one.
  const [[sums], [today], [volunteers]] = await Promise.all([
    t.query<KpiRow>(
      `WITH toStartOfDay(fromUnixTimestamp64Milli({now:Int64}), 'Asia/Shanghai') AS midnight
     SELECT
       (SELECT sum(events) FROM events_minute WHERE type = 'checkin' AND minute >= midnight AND ${IN_SCOPE}) AS checkins_today,
       (SELECT toUInt64(sum(value)) FROM events_minute WHERE type = 'media.read' AND minute >= midnight AND ${IN_SCOPE}) AS reads_today,
       (SELECT sum(events) FROM events_day WHERE type = 'appeal.received' AND ${IN_SCOPE}) AS appeals_received,
       (SELECT sum(events) FROM events_day WHERE type = 'appeal.closed' AND ${IN_SCOPE}) AS appeals_closed`,
      params,
    ),
    // Each volunteer's last check-in or check-out of the day; on the same millisecond the
    // check-out wins ('checkout' > 'checkin'), which the overlay's `later` mirrors.
    t.query<{ activities: string[]; ids: string[]; checked_in: number[]; last_ts: number[] }>(
      `WITH toDate(fromUnixTimestamp64Milli({now:Int64}), 'Asia/Shanghai') AS today
     SELECT
       (SELECT groupUniqArray(subject_id) FROM events WHERE type = 'checkin' AND toDate(ts) = today AND ${IN_SCOPE}) AS activities,
       groupArray(volunteer_id) AS ids, groupArray(toUInt8(last = 'checkin')) AS checked_in, groupArray(last_ms) AS last_ts
     FROM (SELECT volunteer_id, argMax(type, (ts, type)) AS last, toUnixTimestamp64Milli(max(ts)) AS last_ms FROM events
           WHERE type IN ('checkin', 'checkout') AND toDate(ts) = today AND ${IN_SCOPE} GROUP BY volunteer_id)`,
      params,
    ),
    t.query<{ n: number }>(
      `SELECT count() AS n FROM volunteers FINAL
       WHERE {all:UInt8} = 1 OR institute_id IN {nodes:Array(String)} OR station_id IN {nodes:Array(String)}`,
      params,
    ),
  ]);
  const received = sums?.appeals_received ?? 0;
  const closed = sums?.appeals_closed ?? 0;
  const activities = today?.activities ?? [];
  const presence = (today?.ids ?? []).map((id, i) => ({
    id,
    checkedIn: today?.checked_in[i] === 1,
    ts: today?.last_ts[i] ?? 0,
  }));
  return {
    kpi: {
      registeredVolunteers: volunteers?.n ?? 0,
      volunteersActive: presence.filter((p) => p.checkedIn).length,
      activitiesToday: activities.length,
      checkinsToday: sums?.checkins_today ?? 0,
      appealsReceived: received,
      appealsClosed: closed,
      appealClosureRate: closureRate(received, closed),
      mediaReadsToday: sums?.reads_today ?? 0,
      asOf: nowMs,
    },
    activities,
    presence,
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

/** The newest events worth a line on the scroll board, for a screen that just connected (shared/live-merge.ts's order). */
export async function queryRecentEvents(t: Transport, limit: number, scope: ScopeNodes = null): Promise<EventRow[]> {
  // Aliases differ from column names: ClickHouse would let an alias shadow its column in WHERE.
  const rows = await t.query<Omit<EventRow, 'id' | 'ts'> & { event_id: string; ts_ms: number }>(
    `SELECT toString(id) AS event_id, type, toUnixTimestamp64Milli(ts) AS ts_ms, node_id, institute_id, subject_id,
            volunteer_id, tag, value, actor, person_name, person_phone, title, version, lat, lon
     FROM events
     WHERE type IN ('checkin', 'appeal.received', 'media.published', 'order.transition')
       AND ts > now64(3) - INTERVAL 1 DAY AND ${IN_SCOPE}
     ORDER BY ts DESC, event_id DESC
     LIMIT {limit:UInt32}`,
    { limit, ...scopeParams(scope) },
  );
  return rows.map(({ event_id, ts_ms, ...rest }) => ({ ...rest, id: event_id, ts: ts_ms }));
}
