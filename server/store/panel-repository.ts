/**
 * SQL of the wall's panel queries (shared/queries/ names them). Series come from the per-minute
 * view, or the per-day one for windows of weeks, so their cost does not grow with the history;
 * per-item queries (heat, appeal categories) read only the few event types they need, which the
 * events table's key (type, day, …) makes a narrow range.
 */
import { EventType, OrderState } from '../../shared/events.js';
import { CLOSED_STATES } from '../../shared/orders.js';
import { appealDueParams, type CategoryCount } from '../../shared/queries/appeals-categories.js';
import { type HeatPoint } from '../../shared/queries/heat.js';
import { type QueryParams } from '../../shared/queries/index.js';
import { type SeriesPoint, type TrendMark, type TrendMetric } from '../../shared/queries/trend.js';
import { BUCKET_MS, HOUR, WINDOW_MS } from '../../shared/queries/window.js';
import { minutesAsHours } from './rollup-sql.js';
import { IN_SCOPE, scopeParams, type ScopeNodes } from './scope-sql.js';
import type { Transport } from './transport.js';
import { ZONE } from './zone.js';

/** Which rows a trend metric counts, and whether it counts them or sums their value. */
const METRICS: Record<TrendMetric, { type: string; tag: string; sum: boolean }> = {
  checkins: { type: EventType.checkin, tag: '', sum: false },
  appeals: { type: EventType.appealReceived, tag: '', sum: false },
  appealsClosed: { type: EventType.appealClosed, tag: '', sum: false },
  orders: { type: EventType.order, tag: OrderState.requested, sum: false },
  serviceHours: { type: EventType.checkout, tag: '', sum: true },
  mediaReads: { type: EventType.mediaRead, tag: '', sum: true },
};

/** The event types each metric reads: a subscription is re-evaluated only when one of them changed. */
export const METRIC_TYPES: Record<TrendMetric, string> = Object.fromEntries(
  Object.entries(METRICS).map(([k, m]) => [k, m.type]),
) as Record<TrendMetric, string>;

/** How many reports a trend annotates: more would cover the line. */
export const TREND_MARKS = 3;

/**
 * The window's most-read reports published in scope, from the articles table (migration 005) and the
 * hourly reads (006). Reads are counted from the window's first whole hour: for ranking a handful of
 * reports the partial edge hour does not matter, and the raw reports are not read at all. An
 * article published again is its latest publication (FINAL), as a live server keeps it.
 */
export function queryTrendMarks(t: Transport, from: number, scope: ScopeNodes): Promise<TrendMark[]> {
  return t.query<TrendMark>(
    `SELECT toUnixTimestamp64Milli(a.published) AS t, a.title AS title, a.node_id AS nodeId, r.article_reads AS reads
     FROM (
       SELECT id, title, node_id, published FROM articles FINAL
       WHERE published >= fromUnixTimestamp64Milli({from:Int64}) AND ${IN_SCOPE}
     ) AS a
     LEFT JOIN (
       SELECT article, sum(reads) AS article_reads FROM media_read_hour
       WHERE hour >= toStartOfHour(fromUnixTimestamp64Milli({from:Int64}, {tz:String}))
       GROUP BY article
     ) AS r ON r.article = a.id
     ORDER BY reads DESC, t, a.id LIMIT {limit:UInt8}`,
    { from, limit: TREND_MARKS, ...ZONE, ...scopeParams(scope) },
  );
}

/**
 * Reads of these articles from the hour `from` falls in (queryTrendMarks' reads), for a live server
 * that keeps the articles (live/articles.ts) and ranks the marks itself.
 */
export function queryReadsFromHour(
  t: Transport,
  from: number,
  articles: readonly string[],
): Promise<{ article: string; reads: number }[]> {
  if (articles.length === 0) return Promise.resolve([]);
  return t.query(
    `SELECT article, sum(reads) AS reads FROM media_read_hour
     WHERE hour >= toStartOfHour(fromUnixTimestamp64Milli({from:Int64}, {tz:String})) AND article IN {articles:Array(String)}
     GROUP BY article`,
    { from, articles, ...ZONE },
  );
}

export async function queryTrend(
  t: Transport,
  nowMs: number,
  params: QueryParams<'trend'>,
  scope: ScopeNodes,
  /** A live server's marks (live/articles.ts); without them (a replay) the SQL ranks them. */
  marks?: (from: number) => Promise<TrendMark[]>,
): Promise<{ bucketMs: number; points: SeriesPoint[]; marks: TrendMark[] }> {
  const metric = METRICS[params.metric];
  const bucketMs = BUCKET_MS[params.window];
  const from = nowMs - WINDOW_MS[params.window];
  const where = `type = {type:String} AND ({tag:String} = '' OR tag = {tag:String}) AND ${IN_SCOPE}`;
  // Day buckets start at the county's midnight, named: a bare toDateTime(day) is the ClickHouse
  // server's midnight, hours off when the server runs in another zone (UTC, as most do). Hour buckets
  // read whole hours from the hourly rollup (rollup-sql.ts), shorter ones the minutes.
  const daily = bucketMs >= 86_400_000;
  const source = daily
    ? `(SELECT toDateTime(day, {tz:String}) AS span_at, events, value FROM events_day
          WHERE ${where} AND day >= toDate(fromUnixTimestamp64Milli({from:Int64}), {tz:String}))`
    : bucketMs >= HOUR
      ? minutesAsHours(
          'toDateTime(fromUnixTimestamp64Milli({from:Int64}), {tz:String})',
          'toDateTime(fromUnixTimestamp64Milli({now:Int64}), {tz:String})',
          where,
          'events, value',
          true,
        )
      : `(SELECT minute AS span_at, events, value FROM events_minute
            WHERE ${where} AND minute >= toDateTime(fromUnixTimestamp64Milli({from:Int64}), {tz:String}))`;
  const pointsQuery = t.query<SeriesPoint>(
    `SELECT toUnixTimestamp(${daily ? 'span_at' : 'toStartOfInterval(span_at, toIntervalSecond({bucketS:UInt32}))'}) * 1000 AS t,
            ${metric.sum ? 'sum(value)' : 'toFloat64(sum(events))'} AS v
     FROM ${source}
     GROUP BY t ORDER BY t`,
    {
      type: metric.type,
      tag: metric.tag,
      bucketS: bucketMs / 1000,
      from,
      now: nowMs,
      ...ZONE,
      ...scopeParams(scope),
    },
  );
  const [points, ranked] = await Promise.all([pointsQuery, marks ? marks(from) : queryTrendMarks(t, from, scope)]);
  return { bucketMs, points, marks: ranked };
}

/**
 * For `x IN (subquery)` on a column outside the events table's key: by default ClickHouse also builds
 * the subquery's set for index analysis, which costs more than the filter itself (the open appeals
 * of nodes.status: 110 ms against 30 ms over 100 M events); the answer is the same either way.
 */
export const NO_INDEX_FOR_IN = 'use_index_for_in_with_subqueries = 0';

/** Appeals received in the window by category (咨询 / 投诉 / 建议), and how many of those are closed. */
export function queryAppealCategories(
  t: Transport,
  nowMs: number,
  params: QueryParams<'appeals.categories'>,
  scope: ScopeNodes,
): Promise<CategoryCount[]> {
  return queryAppealCategoriesSince(t, nowMs - WINDOW_MS[params.window], nowMs, scope);
}

/**
 * Appeals received since `fromMs` by category, with those closed and overdue at `nowMs`; the
 * report (server/reports/) reads a closed period with it on a store cut at the period's end.
 */
export async function queryAppealCategoriesSince(
  t: Transport,
  fromMs: number,
  nowMs: number,
  scope: ScopeNodes,
): Promise<CategoryCount[]> {
  // Overdue: still open and older than its category's limit (shared/queries/appeals-categories.ts APPEAL_DUE_MS).
  return t.query<CategoryCount>(
    `SELECT category, count() AS received, countIf(is_closed) AS closed,
            countIf(NOT is_closed AND {now:Int64} - toUnixTimestamp64Milli(ts) > due) AS overdue
     FROM (SELECT tag AS category, ts,
                  subject_id IN (SELECT subject_id FROM events WHERE type = 'appeal.closed'
                                 AND ts >= fromUnixTimestamp64Milli({from:Int64})) AS is_closed,
                  transform(tag, {dueCategories:Array(String)}, {dueMs:Array(Int64)}, toInt64(0)) AS due
           FROM events
           WHERE type = 'appeal.received' AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ${IN_SCOPE})
     GROUP BY category ORDER BY category
     SETTINGS ${NO_INDEX_FOR_IN}`,
    { from: fromMs, now: nowMs, ...appealDueParams(), ...scopeParams(scope) },
  );
}

/**
 * Demand points for the heat layer: appeals where they were made, and orders still open at their
 * venue, snapped to a ~100 m grid so a busy square is one heavier point, not a thousand.
 */
export async function queryHeat(
  t: Transport,
  nowMs: number,
  params: QueryParams<'heat'>,
  scope: ScopeNodes,
): Promise<HeatPoint[]> {
  const bound = {
    from: nowMs - WINDOW_MS[params.window],
    category: params.category === 'all' ? '' : params.category,
    closed: CLOSED_STATES,
    ...scopeParams(scope),
  };
  const appeals = `SELECT lat AS la, lon AS lo FROM events
     WHERE type = 'appeal.received' AND ts >= fromUnixTimestamp64Milli({from:Int64})
       AND ({category:String} = '' OR tag = {category:String}) AND ${IN_SCOPE}`;
  // Inner columns are renamed so the outer aliases (lat, lon) never shadow what they round.
  // An order's venue is its node: the latest transition's state decides whether it is still open.
  const orders = `SELECT n.lat AS la, n.lon AS lo
     FROM (SELECT subject_id, any(node_id) AS venue, argMax(tag, version) AS state FROM events
           WHERE type = 'order.transition' AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ${IN_SCOPE}
           GROUP BY subject_id HAVING state NOT IN {closed:Array(String)}) AS o
     INNER JOIN (SELECT id, lat, lon FROM nodes FINAL) AS n ON n.id = o.venue`;
  const parts = params.source === 'appeals' ? [appeals] : params.source === 'orders' ? [orders] : [appeals, orders];
  return t.query<HeatPoint>(
    `SELECT round(la, 3) AS lat, round(lo, 3) AS lon, toFloat64(count()) AS weight
     FROM (${parts.join(' UNION ALL ')})
     GROUP BY lat, lon ORDER BY weight DESC LIMIT 5000`,
    bound,
  );
}
