/**
 * The articles (两中心融合) kept in the server: per article id its brand, activity, title, site and
 * publication time, read from the `articles` table at start (store/live-figures-repository.ts) and
 * fed every `media.published` accepted since, with the live figures (live/figures.ts). Over 100 M
 * events the media panels joined the window's reads with `articles FINAL` (89 k articles) on every
 * answer, about 12 ms of hash table built per statement; here ClickHouse only sums the window's
 * reads per article (store/media-repository.ts `queryArticleReads`) and the join is a map lookup.
 * Articles are few beside their reads: one publication against thousands of read reports.
 *
 * The answers equal the SQL of store/media-repository.ts (its GROUP BY, ordering and limits);
 * tests/server/live/articles.int.test.ts checks them on real chdb after the start's read, live
 * publications, a retried block and a restart. A replay has no catalogue and runs that SQL.
 */
import type { BrandReach, MediaPropagation } from '../../shared/queries/media-propagation.js';
import type { TrendMark } from '../../shared/queries/trend.js';
import type { ArticleRow } from '../store/live-figures-repository.js';
import type { ActivityCheckins, ArticleReads } from '../store/media-repository.js';
import type { ScopeNodes } from '../store/scope-sql.js';

interface Article {
  brand: string;
  activity: string;
  title: string;
  node: string;
  published: number;
}

/** A brand's name: the 【…】 its articles' titles start with (media-repository.ts BRAND_NAME). */
const brandName = (title: string): string => /^【([^】]+)】/.exec(title)?.[1] ?? '';

/** Best first; ties by id, as the SQL orders them (ids are ASCII, so code units order as bytes). */
const byReads = <T extends { id: string; reads: number }>(a: T, b: T): number =>
  b.reads - a.reads || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

interface Sum {
  id: string;
  name: string;
  reads: number;
  shares: number;
}

export class Articles {
  private readonly byId = new Map<string, Article>();
  /** Activity → the brand its articles name and that brand's name; rebuilt after a publication. */
  private links: Map<string, { brand: string; name: string }> | null = null;
  /**
   * Publications by time, oldest first, so a window's articles are a tail, not a walk over all 89 k
   * (7 ms of a trend at load). The start reads them in time order and later ones mostly come in
   * order, appended; one out of order is put in its place (sorting all 89 k took 0.5 s of the event
   * loop). A publication replaced by a later one stays behind and is skipped on read.
   */
  private readonly byTime: { id: string; published: number }[] = [];

  get size(): number {
    return this.byId.size;
  }

  /**
   * An article as published. A later publication of the same id replaces it, as the table's FINAL
   * keeps the last one stored; by time rather than by arrival, so the start's read and accepted
   * events may overlap in any order (an event applied twice changes nothing).
   */
  publish(id: string, brand: string, activity: string, title: string, node: string, published: number): void {
    const known = this.byId.get(id);
    if (known && known.published > published) return;
    this.byId.set(id, { brand, activity, title, node, published });
    this.links = null;
    if (known?.published === published) return; // the same publication again: already in byTime
    const last = this.byTime[this.byTime.length - 1];
    if (!last || last.published <= published) this.byTime.push({ id, published });
    else this.byTime.splice(this.firstFrom(published + 1), 0, { id, published });
  }

  /** The index in byTime of the first publication at or after `ms`. */
  private firstFrom(ms: number): number {
    let lo = 0;
    let hi = this.byTime.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.byTime[mid]?.published ?? Infinity) < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  load(rows: readonly ArticleRow[]): void {
    for (const r of rows) this.publish(r.id, r.brand, r.activity, r.title, r.node_id, r.published);
  }

  /** `media.propagation` from the window's reads per article (queryMediaPropagation's SQL). */
  propagation(reads: readonly ArticleReads[], limit: number): MediaPropagation {
    let total = 0;
    let shares = 0;
    let activityReads = 0;
    const brands = new Map<string, Sum>();
    const activities = new Map<
      string,
      { id: string; title: string; best: number; brandId: string; articles: number; reads: number }
    >();
    const articles: MediaPropagation['articles'] = [];
    for (const r of reads) {
      // An article read but not (yet) published joins nothing: no brand, activity or title (LEFT JOIN).
      const a = this.byId.get(r.article);
      const brand = a?.brand ?? '';
      const activity = a?.activity ?? '';
      const title = a?.title ?? '';
      total += r.reads;
      shares += r.shares;
      if (activity !== '') activityReads += r.reads;
      if (brand !== '') addTo(brands, brand, title, r);
      if (activity !== '') {
        const known = activities.get(activity);
        if (!known)
          activities.set(activity, { id: activity, title, best: r.reads, brandId: brand, articles: 1, reads: r.reads });
        else {
          known.articles += 1;
          known.reads += r.reads;
          // Named by its most-read article (argMax keeps the first of equal reads).
          if (r.reads > known.best) Object.assign(known, { title, best: r.reads });
        }
      }
      articles.push({ id: r.article, reads: r.reads, shares: r.shares, title, brandId: brand, activityId: activity });
    }
    return {
      reads: total,
      shares,
      activityReads,
      brands: top([...brands.values()], limit).map(({ id, name, reads, shares }) => ({ id, name, reads, shares })),
      articles: top(articles, limit),
      activities: top([...activities.values()], limit).map(({ id, title, brandId, articles, reads }) => ({
        id,
        title,
        brandId,
        articles,
        reads,
      })),
    };
  }

  /** Reads and shares per brand from the period's reads per article (queryBrandRanking's reach). */
  brandReach(reads: readonly ArticleReads[]): BrandReach[] {
    const brands = new Map<string, Sum>();
    for (const r of reads) {
      const a = this.byId.get(r.article);
      if (a && a.brand !== '') addTo(brands, a.brand, a.title, r);
    }
    return [...brands.values()].sort(byReads);
  }

  /**
   * Every brand that published in scope (by the article's site), with its articles published since
   * `fromMs` (queryBrandRanking's catalogue).
   */
  brandCatalogue(fromMs: number, scope: ScopeNodes): { id: string; name: string; articles: number }[] {
    const inScope = scope === null ? null : new Set(scope);
    const brands = new Map<string, { id: string; name: string; articles: number }>();
    for (const a of this.byId.values()) {
      if (a.brand === '' || (inScope && !inScope.has(a.node))) continue;
      let b = brands.get(a.brand);
      if (!b) brands.set(a.brand, (b = { id: a.brand, name: brandName(a.title), articles: 0 }));
      if (a.published >= fromMs) b.articles += 1;
    }
    return [...brands.values()];
  }

  /**
   * Each brand's practice from the period's check-ins per activity in scope (queryBrandPractice's
   * SQL): the activities linked to the brand by any of its articles, and their check-ins.
   */
  brandPractice(
    checkins: readonly ActivityCheckins[],
  ): { id: string; name: string; activities: number; participants: number }[] {
    const links = this.activityLinks();
    const brands = new Map<string, { id: string; name: string; activities: number; participants: number }>();
    for (const c of checkins) {
      const link = links.get(c.activity);
      if (!link) continue;
      // Grouped by brand and name, as the SQL groups them.
      const key = `${link.brand}\u0000${link.name}`;
      const b = brands.get(key);
      if (b) {
        b.activities += 1;
        b.participants += c.checkins;
      } else brands.set(key, { id: link.brand, name: link.name, activities: 1, participants: c.checkins });
    }
    return [...brands.values()];
  }

  /**
   * Articles published since `fromMs` in scope (by the article's site): the trend's candidate marks;
   * null as soon as there are more than `max`.
   */
  publishedSince(fromMs: number, scope: ScopeNodes, max: number): (TrendMark & { id: string })[] | null {
    const inScope = scope === null ? null : new Set(scope);
    const marks: (TrendMark & { id: string })[] = [];
    for (let i = this.firstFrom(fromMs); i < this.byTime.length; i += 1) {
      const entry = this.byTime[i];
      const a = entry && this.byId.get(entry.id);
      if (!entry || !a || a.published !== entry.published || (inScope && !inScope.has(a.node))) continue;
      if (marks.length === max) return null;
      marks.push({ id: entry.id, t: a.published, title: a.title, nodeId: a.node, reads: 0 });
    }
    return marks;
  }

  private activityLinks(): Map<string, { brand: string; name: string }> {
    if (this.links) return this.links;
    const links = new Map<string, { brand: string; name: string }>();
    for (const a of this.byId.values())
      if (a.activity !== '' && a.brand !== '' && !links.has(a.activity))
        links.set(a.activity, { brand: a.brand, name: brandName(a.title) });
    return (this.links = links);
  }
}

function addTo(brands: Map<string, Sum>, brand: string, title: string, r: ArticleReads): void {
  const b = brands.get(brand);
  if (b) {
    b.reads += r.reads;
    b.shares += r.shares;
  } else brands.set(brand, { id: brand, name: brandName(title), reads: r.reads, shares: r.shares });
}

/**
 * The `limit` most-read of the candidate marks given their reads (queryTrendMarks' SQL): an article
 * without reads has 0; ties by publication time, then id.
 */
export function rankMarks(
  candidates: readonly (TrendMark & { id: string })[],
  reads: readonly { article: string; reads: number }[],
  limit: number,
): TrendMark[] {
  const byArticle = new Map(reads.map((r) => [r.article, r.reads]));
  return candidates
    .map((c) => ({ ...c, reads: byArticle.get(c.id) ?? 0 }))
    .sort((a, b) => b.reads - a.reads || a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, limit)
    .map(({ t, title, nodeId, reads }) => ({ t, title, nodeId, reads }));
}

const top = <T extends { id: string; reads: number }>(rows: T[], limit: number): T[] =>
  rows.sort(byReads).slice(0, limit);
