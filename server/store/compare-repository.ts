/**
 * Day-over-day figures for the KPI tiles: today so far against yesterday up to the same time of
 * day (a morning is compared with a morning, never with a whole day). Sums come from the per-hour
 * and per-minute views (rollup-sql.ts); distinct activities from raw check-ins of the two days.
 */
import { COMPARE_METRICS, type CompareFigures, type CompareMetric } from '../../shared/queries/kpi-compare.js';
import { minutesAsHours } from './rollup-sql.js';
import { IN_SCOPE, scopeParams, type ScopeNodes } from './scope-sql.js';
import type { Transport } from './transport.js';
import { ZONE } from './zone.js';

/** Which minute-view rows each metric counts (or sums, for hours and reads). */
const SOURCES: Record<Exclude<CompareMetric, 'activities'>, { type: string; tag?: string; sum?: true }> = {
  checkins: { type: 'checkin' },
  appeals: { type: 'appeal.received' },
  appealsClosed: { type: 'appeal.closed' },
  ordersCompleted: { type: 'order.transition', tag: 'completed' },
  serviceHours: { type: 'checkout', sum: true },
  mediaReads: { type: 'media.read', sum: true },
};

/** The sums' rows of either day, read as whole hours and the minutes of the hour each day's span ends in. */
const SUMMED = `type IN {types:Array(String)} AND ${IN_SCOPE}`;

/** Both days' windows: [midnight, now] and [yesterday's midnight, now − 24 h]. */
const WINDOWS = `WITH fromUnixTimestamp64Milli({now:Int64}) AS at, toStartOfDay(at, {tz:String}) AS midnight`;
const IN_WINDOWS = (column: string): string =>
  `${column} >= midnight - toIntervalDay(1) AND ${column} <= at
   AND (${column} >= midnight OR ${column} <= at - toIntervalDay(1))`;

export async function queryKpiCompare(
  t: Transport,
  nowMs: number,
  _params: object,
  scope: ScopeNodes,
): Promise<{ today: CompareFigures; yesterday: CompareFigures }> {
  const bound = {
    now: nowMs,
    types: [...new Set(Object.values(SOURCES).map((s) => s.type))],
    ...ZONE,
    ...scopeParams(scope),
  };
  const [sums, activities] = await Promise.all([
    t.query<{ today: number; type: string; tag: string; events: number; value: number }>(
      `${WINDOWS}
       SELECT toUInt8(span_at >= midnight) AS today, type, tag, toFloat64(sum(events)) AS events, sum(value) AS value
       FROM (SELECT * FROM ${minutesAsHours('midnight', 'at', SUMMED, 'type, tag, events, value')}
             UNION ALL
             SELECT * FROM ${minutesAsHours('midnight - toIntervalDay(1)', 'at - toIntervalDay(1)', SUMMED, 'type, tag, events, value')})
       GROUP BY today, type, tag`,
      bound,
    ),
    t.query<{ today: number; n: number }>(
      `${WINDOWS}
       SELECT toUInt8(ts >= midnight) AS today, toFloat64(uniqExact(subject_id)) AS n
       FROM events WHERE type = 'checkin' AND ${IN_WINDOWS('ts')} AND ${IN_SCOPE}
       GROUP BY today`,
      bound,
    ),
  ]);
  const day = (today: number): CompareFigures => {
    const figures = Object.fromEntries(COMPARE_METRICS.map((m) => [m, 0])) as CompareFigures;
    for (const [metric, source] of Object.entries(SOURCES) as [keyof typeof SOURCES, (typeof SOURCES)['checkins']][]) {
      const rows = sums.filter((r) => r.today === today && r.type === source.type);
      const matching = source.tag === undefined ? rows : rows.filter((r) => r.tag === source.tag);
      const total = matching.reduce((s, r) => s + (source.sum ? r.value : r.events), 0);
      figures[metric] = Math.round(total * 10) / 10;
    }
    figures.activities = activities.find((r) => r.today === today)?.n ?? 0;
    return figures;
  };
  return { today: day(1), yesterday: day(0) };
}
