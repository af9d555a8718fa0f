/**
 * 两中心融合: the convergence-media side of the wall. An article names its brand (`actor`) and the
 * practice activity it reports (`tag`); its read counters (`media.read`: reads in `value`, shares in
 * `version`) are joined to it by article id. A brand's name is the 【…】 the media platform puts in
 * front of its articles' titles, so no brand list has to be kept beside the data.
 */
import { periodBounds } from '../../shared/evaluation.js';
import type { ActivityReach, ArticleRow, BrandReach, BrandRow, MediaPropagation } from '../../shared/panel-queries.js';
import { WINDOW_MS, type QueryParams } from '../../shared/queries.js';
import { IN_SCOPE, scopeParams, type ScopeNodes } from './scope-sql.js';
import type { Transport } from './transport.js';

const ARTICLES = `(SELECT subject_id AS article, any(actor) AS brand, any(tag) AS activity, any(title) AS title
   FROM events WHERE type = 'media.published' GROUP BY article)`;
const BRAND_NAME = `extract(any(a.title), '^【([^】]+)】')`;
const SCOPED = (alias: string): string => IN_SCOPE.replaceAll('node_id', `${alias}.node_id`);

/** Reads and shares per brand since `from` (epoch ms), best first. */
function brandReach(t: Transport, bound: Record<string, unknown>, limit: number): Promise<BrandReach[]> {
  return t.query<BrandReach>(
    `SELECT a.brand AS id, ${BRAND_NAME} AS name, sum(r.value) AS reads, toFloat64(sum(r.version)) AS shares
     FROM events AS r INNER JOIN ${ARTICLES} AS a ON a.article = r.subject_id
     WHERE r.type = 'media.read' AND r.ts >= fromUnixTimestamp64Milli({from:Int64}) AND a.brand != '' AND ${SCOPED('r')}
     GROUP BY id ORDER BY reads DESC, id LIMIT {limit:UInt32}`,
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
       LEFT JOIN (SELECT subject_id, count() AS n FROM events
                  WHERE type = 'checkin' AND ts >= fromUnixTimestamp64Milli({from:Int64}) - toIntervalDay(7)
                  GROUP BY subject_id) AS c ON c.subject_id = p.tag AND p.tag != ''
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
      `SELECT sum(r.value) AS reads, toFloat64(sum(r.version)) AS shares, sumIf(r.value, a.activity != '') AS activityReads
       FROM events AS r LEFT JOIN ${ARTICLES} AS a ON a.article = r.subject_id
       WHERE r.type = 'media.read' AND r.ts >= fromUnixTimestamp64Milli({from:Int64}) AND ${SCOPED('r')}`,
      bound,
    ),
    brandReach(t, bound, params.limit),
    t.query<ArticleRow>(
      `SELECT r.id AS id, a.title AS title, a.brand AS brandId, a.activity AS activityId, r.reads AS reads, r.shares AS shares
       FROM (SELECT subject_id AS id, sum(value) AS reads, toFloat64(sum(version)) AS shares FROM events
             WHERE type = 'media.read' AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ${IN_SCOPE}
             GROUP BY id ORDER BY reads DESC, id LIMIT {limit:UInt32}) AS r
       LEFT JOIN ${ARTICLES} AS a ON a.article = r.id
       ORDER BY reads DESC, id`,
      { ...bound, limit: params.limit },
    ),
    // Per activity: its coverage's reads in the window, named by its most-read article.
    t.query<ActivityReach>(
      `SELECT a.activity AS id, argMax(a.title, r.value) AS title, any(a.brand) AS brandId,
              toFloat64(uniqExact(a.article)) AS articles, sum(r.value) AS reads
       FROM events AS r INNER JOIN ${ARTICLES} AS a ON a.article = r.subject_id
       WHERE r.type = 'media.read' AND r.ts >= fromUnixTimestamp64Milli({from:Int64}) AND a.activity != ''
         AND ${SCOPED('r')}
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
