/**
 * The wall's named queries. Day boundaries are the county's (Asia/Shanghai, the column's zone);
 * counts come from the per-minute materialized view, so they cost the same over a year of history.
 */
import type { TrendPoint } from '../../shared/live.js';
import { closureRate, type KpiSnapshot } from '../../shared/kpi.js';
import type { EventRow } from './events-repository.js';
import type { Transport } from './transport.js';

interface KpiRow {
  checkins_today: number;
  appeals_received: number;
  appeals_closed: number;
  reads_today: number;
}

export async function queryKpi(t: Transport, nowMs: number): Promise<KpiSnapshot> {
  const params = { now: nowMs };
  const [sums] = await t.query<KpiRow>(
    `WITH toDate(fromUnixTimestamp64Milli({now:Int64}), 'Asia/Shanghai') AS today
     SELECT
       sumIf(events, type = 'checkin' AND toDate(minute) = today) AS checkins_today,
       sumIf(events, type = 'appeal.received') AS appeals_received,
       sumIf(events, type = 'appeal.closed') AS appeals_closed,
       toUInt64(sumIf(value, type = 'media.read' AND toDate(minute) = today)) AS reads_today
     FROM events_minute
     WHERE type IN ('checkin', 'appeal.received', 'appeal.closed', 'media.read')`,
    params,
  );
  const [today] = await t.query<{ activities: number; active: number }>(
    `WITH toDate(fromUnixTimestamp64Milli({now:Int64}), 'Asia/Shanghai') AS today
     SELECT
       (SELECT uniqExact(subject_id) FROM events WHERE type = 'checkin' AND toDate(ts) = today) AS activities,
       (SELECT countIf(last = 'checkin') FROM
         (SELECT argMax(type, ts) AS last FROM events
          WHERE type IN ('checkin', 'checkout') AND toDate(ts) = today GROUP BY volunteer_id)) AS active`,
    params,
  );
  const [volunteers] = await t.query<{ n: number }>('SELECT count() AS n FROM volunteers FINAL');
  const received = sums?.appeals_received ?? 0;
  const closed = sums?.appeals_closed ?? 0;
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

/** Check-ins per minute over the last `minutes` minutes (minutes without any are absent). */
export async function queryCheckinTrend(t: Transport, nowMs: number, minutes: number): Promise<TrendPoint[]> {
  return t.query<TrendPoint>(
    `SELECT toUnixTimestamp(minute) * 1000 AS t, sum(events) AS checkins
     FROM events_minute
     WHERE type = 'checkin' AND minute > fromUnixTimestamp64Milli({now:Int64}) - toIntervalMinute({minutes:UInt32})
     GROUP BY minute`,
    { now: nowMs, minutes },
  );
}

/** The newest events worth a line on the scroll board, for a screen that just connected. */
export async function queryRecentEvents(t: Transport, limit: number): Promise<EventRow[]> {
  // Aliases differ from column names: ClickHouse would let an alias shadow its column in WHERE.
  const rows = await t.query<Omit<EventRow, 'id' | 'ts'> & { event_id: string; ts_ms: number }>(
    `SELECT toString(id) AS event_id, type, toUnixTimestamp64Milli(ts) AS ts_ms, node_id, institute_id, subject_id,
            volunteer_id, tag, value, actor, person_name, person_phone, title, version, lat, lon
     FROM events
     WHERE type IN ('checkin', 'appeal.received', 'media.published', 'order.transition')
       AND ts > now64(3) - INTERVAL 1 DAY
     ORDER BY ts DESC
     LIMIT {limit:UInt32}`,
    { limit },
  );
  return rows.map(({ event_id, ts_ms, ...rest }) => ({ ...rest, id: event_id, ts: ts_ms }));
}
