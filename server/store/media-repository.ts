/**
 * 两中心融合: the convergence-media side of the wall. An article names its brand (`actor`) and the
 * practice activity it reports (`tag`); its read counters (`media.read`: reads in `value`, shares in
 * `version`) are joined to it by article id. A brand's name is the 【…】 the media platform puts in
 * front of its articles' titles, so no brand list has to be kept beside the data.
 * Articles come from the `articles` table (migration 005); reads from the per-article, site and
 * hour rollup (006), so a window's reads are a few rows per article, not one per read report.
 */
import { periodBounds } from '../../shared/evaluation.js';
import type { ActivityReach, ArticleRow, BrandReach, BrandRow, MediaPropagation } from '../../shared/panel-queries.js';
import { WINDOW_MS, type QueryParams } from '../../shared/queries.js';
import { IN_SCOPE, scopeParams, type ScopeNodes } from './scope-sql.js';
import type { Transport } from './transport.js';

/**
 * A brand's name from any of its articles' titles. Which article is incidental: the platform puts
 * the same 【…】 in front of all of a brand's titles (the query before migration 005 took any title
 * among the articles read in the window).
 */
const BRAND_NAMES = `(SELECT brand, extract(any(title), '^【([^】]+)】') AS name FROM articles FINAL
   WHERE brand != '' GROUP BY brand)`;
const SCOPED = (alias: string): string => IN_SCOPE.replaceAll('node_id', `${alias}.node_id`);

/**
 * Reads and shares per article since `from` (epoch ms), in scope: whole hours from the rollup, and
 * the rest of the hour `from` falls in from raw reports, so the window's edge is exact.
 */
const READS_SINCE = `(SELECT article, sum(reads) AS article_reads, sum(shares) AS article_shares FROM
   (SELECT article, reads, shares FROM media_read_hour
    WHERE hour >= toStartOfHour(fromUnixTimestamp64Milli({from:Int64}, 'Asia/Shanghai')) + INTERVAL 1 HOUR AND ${IN_SCOPE}
    UNION ALL
    SELECT subject_id AS article, value AS reads, toUInt64(version) AS shares FROM events
    WHERE type = 'media.read' AND ts >= fromUnixTimestamp64Milli({from:Int64})
      AND ts < toStartOfHour(fromUnixTimestamp64Milli({from:Int64}, 'Asia/Shanghai')) + INTERVAL 1 HOUR AND ${IN_SCOPE})
   GROUP BY article)`;

/** Reads and shares per brand since `from` (epoch ms), best first. */
function brandReach(t: Transport, bound: Record<string, unknown>, limit: number): Promise<BrandReach[]> {
  return t.query<BrandReach>(
    `SELECT r.id AS id, b.name AS name, r.reads AS reads, r.shares AS shares
     FROM (SELECT a.brand AS id, sum(r.article_reads) AS reads, toFloat64(sum(r.article_shares)) AS shares
           FROM ${READS_SINCE} AS r INNER JOIN (SELECT id, brand FROM articles FINAL WHERE brand != '') AS a ON a.id = r.article
           GROUP BY id ORDER BY reads DESC, id LIMIT {limit:UInt32}) AS r
     LEFT JOIN ${BRAND_NAMES} AS b ON b.brand = r.id
     ORDER BY reads DESC, id`,
    { ...bound, limit },
  );
}

/** Every brand active in the period: its articles, the activities they report and those activities' check-ins, its reach. */
export async function queryBrandRanking(
  t: Transport,
  nowMs: number,
  params: QueryParams<'brands.ranking'>,
  scope: ScopeNodes,
): Promise<BrandRow[]> {
  const { start } = periodBounds(params.period, nowMs);
  const from = Date.parse(`${start}T00:00:00+08:00`);
  const bound = { from, ...scopeParams(scope) };
  const [published, reach] = await Promise.all([
    t.query<Omit<BrandRow, 'reads' | 'shares'>>(
      `SELECT p.actor AS id, extract(any(p.title), '^【([^】]+)】') AS name, toFloat64(count()) AS articles,
              toFloat64(uniqExactIf(p.tag, p.tag != '')) AS activities,
              toFloat64(sum(c.n)) AS participants
       FROM events AS p
       LEFT JOIN (SELECT activity, sum(checkins) AS n FROM activity_day
                  WHERE day >= toDate(fromUnixTimestamp64Milli({from:Int64}, 'Asia/Shanghai')) - 7
                  GROUP BY activity) AS c ON c.activity = p.tag AND p.tag != ''
       WHERE p.type = 'media.published' AND p.actor != '' AND p.ts >= fromUnixTimestamp64Milli({from:Int64})
         AND ${SCOPED('p')}
       GROUP BY id`,
      bound,
    ),
    brandReach(t, bound, 1000),
  ]);
  const reachBy = new Map(reach.map((r) => [r.id, r]));
  const rows = new Map<string, BrandRow>(
    published.map((p) => [
      p.id,
      { ...p, reads: reachBy.get(p.id)?.reads ?? 0, shares: reachBy.get(p.id)?.shares ?? 0 },
    ]),
  );
  // A brand read in the period but with no new article still ranks by its reach.
  for (const r of reach) if (!rows.has(r.id)) rows.set(r.id, { ...r, articles: 0, activities: 0, participants: 0 });
  return [...rows.values()].sort((a, b) => b.reads - a.reads || a.id.localeCompare(b.id));
}

/** The most-read articles of the window, read or not as published; the few winners looked up by key. */
async function topArticles(t: Transport, bound: Record<string, unknown>, limit: number): Promise<ArticleRow[]> {
  const top = await t.query<{ id: string; reads: number; shares: number }>(
    `SELECT article AS id, article_reads AS reads, toFloat64(article_shares) AS shares FROM ${READS_SINCE}
     ORDER BY reads DESC, id LIMIT {limit:UInt32}`,
    { ...bound, limit },
  );
  if (top.length === 0) return [];
  const found = await t.query<{ id: string; title: string; brand: string; activity: string }>(
    'SELECT id, title, brand, activity FROM articles FINAL WHERE id IN {ids:Array(String)}',
    { ids: top.map((r) => r.id) },
  );
  const byId = new Map(found.map((a) => [a.id, a]));
  return top.map((r) => {
    const a = byId.get(r.id);
    return { ...r, title: a?.title ?? '', brandId: a?.brand ?? '', activityId: a?.activity ?? '' };
  });
}

/** Reach in the window: totals, the activity-linked share, the top brands and the top articles. */
export async function queryMediaPropagation(
  t: Transport,
  nowMs: number,
  params: QueryParams<'media.propagation'>,
  scope: ScopeNodes,
): Promise<MediaPropagation> {
  const bound = { from: nowMs - WINDOW_MS[params.window], ...scopeParams(scope) };
  const [[totals], brands, articles, activities] = await Promise.all([
    t.query<{ reads: number; shares: number; activityReads: number }>(
      `SELECT sum(r.article_reads) AS reads, toFloat64(sum(r.article_shares)) AS shares, sumIf(r.article_reads, a.activity != '') AS activityReads
       FROM ${READS_SINCE} AS r LEFT JOIN (SELECT id, activity FROM articles FINAL WHERE activity != '') AS a ON a.id = r.article`,
      bound,
    ),
    brandReach(t, bound, params.limit),
    topArticles(t, bound, params.limit),
    // Per activity: its coverage's reads in the window, named by its most-read article in the window
    // (any brand among its articles': one brand covers an activity).
    t.query<ActivityReach>(
      `SELECT a.activity AS id, argMax(a.title, r.article_reads) AS title, any(a.brand) AS brandId,
              toFloat64(count()) AS articles, sum(r.article_reads) AS reads
       FROM ${READS_SINCE} AS r
       INNER JOIN (SELECT id, title, brand, activity FROM articles FINAL WHERE activity != '') AS a ON a.id = r.article
       GROUP BY id ORDER BY reads DESC, id LIMIT {limit:UInt32}`,
      { ...bound, limit: params.limit },
    ),
  ]);
  return {
    reads: totals?.reads ?? 0,
    shares: totals?.shares ?? 0,
    activityReads: totals?.activityReads ?? 0,
    brands,
    articles,
    activities,
  };
}
