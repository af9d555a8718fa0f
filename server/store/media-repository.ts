/**
 * 两中心融合: the convergence-media side of the wall. An article names its brand (`actor`) and the
 * practice activity it reports (`tag`); its read counters (`media.read`: reads in `value`, shares in
 * `version`) are joined to it by article id. A brand's name is the 【…】 the media platform puts in
 * front of its articles' titles, so no brand list has to be kept beside the data.
 * Articles come from the `articles` table (migration 005); reads from the per-article, site and
 * hour rollup (006), so a window's reads are a few rows per article, not one per read report.
 */
import { periodBounds } from '../../shared/evaluation.js';
import type { PracticeReach } from '../../shared/report.js';
import type { BrandRow } from '../../shared/queries/brands-ranking.js';
import type { BrandReach, MediaPropagation } from '../../shared/queries/media-propagation.js';
import { type QueryParams } from '../../shared/queries/index.js';
import { WINDOW_MS } from '../../shared/queries/window.js';
import { UTC_OFFSET } from '../../shared/time-zone.js';
import { IN_SCOPE, scopeParams, type ScopeNodes } from './scope-sql.js';
import type { Transport } from './transport.js';
import { ZONE } from './zone.js';

const SCOPED = (alias: string): string => IN_SCOPE.replaceAll('node_id', `${alias}.node_id`);

/**
 * A brand's name: the 【…】 the media platform puts in front of all of its articles' titles, so
 * any of the titles aggregated in `titles` (a column) names it.
 */
const BRAND_NAME = (titles: string): string => `extract(any(${titles}), '^【([^】]+)】')`;

/**
 * Reads and shares per article since `from` (epoch ms), in scope: whole hours from the rollup, and
 * the rest of the hour `from` falls in from raw reports, so the window's edge is exact.
 */
const READS_SINCE = `(SELECT article, sum(reads) AS article_reads, sum(shares) AS article_shares FROM
   (SELECT article, reads, shares FROM media_read_hour
    WHERE hour >= toStartOfHour(fromUnixTimestamp64Milli({from:Int64}, {tz:String})) + INTERVAL 1 HOUR AND ${IN_SCOPE}
    UNION ALL
    SELECT subject_id AS article, value AS reads, toUInt64(version) AS shares FROM events
    WHERE type = 'media.read' AND ts >= fromUnixTimestamp64Milli({from:Int64})
      AND ts < toStartOfHour(fromUnixTimestamp64Milli({from:Int64}, {tz:String})) + INTERVAL 1 HOUR AND ${IN_SCOPE})
   GROUP BY article)`;

/** Reads and shares per brand since `from` (epoch ms), best first. */
function brandReach(t: Transport, bound: Record<string, unknown>, limit: number): Promise<BrandReach[]> {
  return t.query<BrandReach>(
    `SELECT a.brand AS id, ${BRAND_NAME('a.title')} AS name, sum(r.article_reads) AS reads,
            toFloat64(sum(r.article_shares)) AS shares
     FROM ${READS_SINCE} AS r INNER JOIN (SELECT id, brand, title FROM articles FINAL WHERE brand != '') AS a ON a.id = r.article
     GROUP BY id ORDER BY reads DESC, id LIMIT {limit:UInt32}`,
    { ...bound, limit },
  );
}

/**
 * A brand's practice: the activities linked to it by any of its articles (an activity belongs to one
 * brand, whenever it was reported), with their check-ins in scope since `from`. Counted from the
 * check-ins, not from the period's articles, so an activity reported last month and held this month
 * counts this month, as its reads do.
 */
const PRACTICE = `SELECT l.linked_brand AS id, l.brand_name AS name, toFloat64(uniqExact(d.activity)) AS activities,
       toFloat64(sum(d.checkins)) AS participants
FROM activity_day AS d
INNER JOIN (SELECT activity, any(brand) AS linked_brand, ${BRAND_NAME('title')} AS brand_name FROM articles FINAL
            WHERE activity != '' AND brand != '' GROUP BY activity) AS l ON l.activity = d.activity
WHERE d.day >= toDate(fromUnixTimestamp64Milli({from:Int64}, {tz:String})) AND ${SCOPED('d')}
GROUP BY id, name`;

/** The first day of `params.period` in the county, epoch ms: the brands' figures count from there. */
export function brandPeriodStart(nowMs: number, params: QueryParams<'brands.ranking'>): number {
  const { start } = periodBounds(params.period, nowMs);
  return Date.parse(`${start}T00:00:00${UTC_OFFSET}`);
}

/** Each brand's practice since `from` (PRACTICE). */
function queryBrandPractice(
  t: Transport,
  from: number,
  scope: ScopeNodes,
): Promise<{ id: string; name: string; activities: number; participants: number }[]> {
  return t.query(PRACTICE, { from, ...ZONE, ...scopeParams(scope) });
}

/** An activity's check-ins in a period, in scope. */
export interface ActivityCheckins {
  activity: string;
  checkins: number;
}

/**
 * Check-ins per activity in scope since `from`: for a live server, which links each activity to its
 * brand from the articles it keeps (live/articles.ts) instead of joining `articles FINAL` here.
 */
export function queryActivityCheckins(t: Transport, from: number, scope: ScopeNodes): Promise<ActivityCheckins[]> {
  return t.query<ActivityCheckins>(
    `SELECT activity, toFloat64(sum(checkins)) AS checkins FROM activity_day
     WHERE day >= toDate(fromUnixTimestamp64Milli({from:Int64}, {tz:String})) AND ${IN_SCOPE}
     GROUP BY activity`,
    { from, ...ZONE, ...scopeParams(scope) },
  );
}

/**
 * Every brand of the scope (each that ever published there: the county has 128), with its figures in
 * the period; a brand quiet in the period is listed with zeros, so the panel can say both how many
 * brands there are and how many were active.
 */
export async function queryBrandRanking(
  t: Transport,
  nowMs: number,
  params: QueryParams<'brands.ranking'>,
  scope: ScopeNodes,
): Promise<BrandRow[]> {
  const from = brandPeriodStart(nowMs, params);
  const bound = { from, ...ZONE, ...scopeParams(scope) };
  const [catalogue, practice, reach] = await Promise.all([
    t.query<{ id: string; name: string; articles: number }>(
      `SELECT brand AS id, ${BRAND_NAME('title')} AS name,
              toFloat64(countIf(published >= fromUnixTimestamp64Milli({from:Int64}))) AS articles
       FROM articles FINAL WHERE brand != '' AND ${IN_SCOPE}
       GROUP BY id`,
      bound,
    ),
    queryBrandPractice(t, from, scope),
    brandReach(t, bound, 1000),
  ]);
  return rankBrands(catalogue, practice, reach);
}

/** The brands' rows from their catalogue, practice and reach, most read first. */
export function rankBrands(
  catalogue: readonly { id: string; name: string; articles: number }[],
  practice: readonly { id: string; name: string; activities: number; participants: number }[],
  reach: readonly BrandReach[],
): BrandRow[] {
  const rows = new Map<string, BrandRow>();
  const row = (id: string, name: string): BrandRow => {
    const known = rows.get(id) ?? { id, name, articles: 0, activities: 0, participants: 0, reads: 0, shares: 0 };
    rows.set(id, known);
    return known;
  };
  for (const c of catalogue) row(c.id, c.name).articles = c.articles;
  // An activity in scope may be reported only from elsewhere (the county desk): its brand is the scope's too.
  for (const p of practice)
    Object.assign(row(p.id, p.name), { activities: p.activities, participants: p.participants });
  for (const r of reach) Object.assign(row(r.id, r.name), { reads: r.reads, shares: r.shares });
  return [...rows.values()].sort((a, b) => b.reads - a.reads || a.id.localeCompare(b.id));
}

/** An article's reads and shares in a window (READS_SINCE's rows). */
export interface ArticleReads {
  article: string;
  reads: number;
  shares: number;
}

/**
 * Reads and shares per article since `from` (epoch ms), in scope: for a live server, which joins
 * them with the articles it keeps (live/articles.ts) instead of `articles FINAL` here.
 */
export function queryArticleReads(t: Transport, from: number, scope: ScopeNodes): Promise<ArticleReads[]> {
  return t.query<ArticleReads>(
    `SELECT article, article_reads AS reads, toFloat64(article_shares) AS shares FROM ${READS_SINCE}`,
    { from, ...ZONE, ...scopeParams(scope) },
  );
}

/** Which grouping set a row of the propagation query is (SQL-standard grouping(): 1 = rolled up). */
const SET = { brand: 0b011, article: 0b101, activity: 0b110, total: 0b111 } as const;

interface PropagationRow {
  set: number;
  brand: string;
  article: string;
  activity: string;
  reads: number;
  shares: number;
  activity_reads: number;
  /** An article's title; an activity's most-read article's title. */
  title: string;
  any_brand: string;
  any_activity: string;
  /** A brand's name (BRAND_NAME). */
  brand_name: string;
  articles: number;
}

/**
 * Reach in the window: totals, the activity-linked share, the top brands, articles and activities.
 * One pass: the window's reads per article are summed and joined to the articles once, then
 * grouped four ways (GROUPING SETS) and cut to the top `limit` of each (LIMIT … BY).
 */
export async function queryMediaPropagation(
  t: Transport,
  nowMs: number,
  params: QueryParams<'media.propagation'>,
  scope: ScopeNodes,
): Promise<MediaPropagation> {
  const bound = { from: nowMs - WINDOW_MS[params.window], limit: params.limit, ...ZONE, ...scopeParams(scope) };
  const rows = await t.query<PropagationRow>(
    `SELECT grouping(a.brand, r.article, a.activity) AS set, a.brand AS brand, r.article AS article,
            a.activity AS activity, sum(r.article_reads) AS reads, toFloat64(sum(r.article_shares)) AS shares,
            sumIf(r.article_reads, a.activity != '') AS activity_reads,
            argMax(a.title, r.article_reads) AS title, any(a.brand) AS any_brand, any(a.activity) AS any_activity,
            ${BRAND_NAME('a.title')} AS brand_name,
            toFloat64(count()) AS articles
     FROM ${READS_SINCE} AS r
     LEFT JOIN (SELECT id, title, brand, activity FROM articles FINAL) AS a ON a.id = r.article
     GROUP BY GROUPING SETS ((), (a.brand), (r.article), (a.activity))
     HAVING set IN (${SET.total}, ${SET.article}) OR (set = ${SET.brand} AND brand != '') OR (set = ${SET.activity} AND activity != '')
     ORDER BY set, reads DESC, brand, article, activity
     LIMIT {limit:UInt32} BY set
     SETTINGS force_grouping_standard_compatibility = 1`,
    bound,
  );
  const of = (set: number) => rows.filter((r) => r.set === set);
  const total = of(SET.total)[0];
  return {
    reads: total?.reads ?? 0,
    shares: total?.shares ?? 0,
    activityReads: total?.activity_reads ?? 0,
    brands: of(SET.brand).map((r) => ({ id: r.brand, name: r.brand_name, reads: r.reads, shares: r.shares })),
    articles: of(SET.article).map((r) => ({
      id: r.article,
      reads: r.reads,
      shares: r.shares,
      title: r.title,
      brandId: r.any_brand,
      activityId: r.any_activity,
    })),
    activities: of(SET.activity).map((r) => ({
      id: r.activity,
      title: r.title,
      brandId: r.any_brand,
      articles: r.articles,
      reads: r.reads,
    })),
  };
}

/**
 * 传播量 of practice reports since `fromMs` (the report reads a closed period on a store cut at its
 * end): all articles' reads and shares, those of articles reporting a practice activity, and the
 * practice reports read most.
 */
export async function queryPracticeReach(
  t: Transport,
  fromMs: number,
  scope: ScopeNodes,
  limit: number,
): Promise<PracticeReach> {
  const bound = { from: fromMs, limit, ...ZONE, ...scopeParams(scope) };
  const joined = `${READS_SINCE} AS r LEFT JOIN (SELECT id, title, activity FROM articles FINAL) AS a ON a.id = r.article`;
  const [totals, top] = await Promise.all([
    t.query<Omit<PracticeReach, 'top'>>(
      `SELECT toFloat64(sum(r.article_reads)) AS reads, toFloat64(sum(r.article_shares)) AS shares,
              toFloat64(sumIf(r.article_reads, a.activity != '')) AS practiceReads,
              toFloat64(sumIf(r.article_shares, a.activity != '')) AS practiceShares,
              toFloat64(countIf(a.activity != '')) AS practiceArticles
       FROM ${joined}`,
      bound,
    ),
    t.query<PracticeReach['top'][number]>(
      `SELECT r.article AS id, a.title AS title, toFloat64(r.article_reads) AS reads, toFloat64(r.article_shares) AS shares
       FROM ${joined} WHERE a.activity != '' ORDER BY reads DESC, id LIMIT {limit:UInt32}`,
      bound,
    ),
  ]);
  const sums = totals[0] ?? { reads: 0, shares: 0, practiceReads: 0, practiceShares: 0, practiceArticles: 0 };
  return { ...sums, top };
}
