/**
 * `brands.ranking`: a period view, refreshed on a timer too (a new month changes it). For a month a
 * live server takes the brands' articles, and the links of their reads and activities' check-ins,
 * from the articles it keeps (live/articles.ts): over 100 M events its three statements over
 * `articles FINAL` each built a table of the 89 k articles. A half or a year has read most of them,
 * and handing those rows over cost more than ClickHouse's join (p50 827 against 572 ms for a year,
 * timed alternately at load average 17–32), so longer periods stay in SQL, as a replay's do.
 */
import { EventType } from '../../shared/events.js';
import {
  brandPeriodStart,
  queryActivityCheckins,
  queryArticleReads,
  queryBrandRanking,
  rankBrands,
} from '../store/media-repository.js';
import type { QueryDefinition } from './definition.js';

export const brandsRanking: QueryDefinition<'brands.ranking'> = {
  sources: () => [EventType.mediaPublished, EventType.mediaRead, EventType.checkin],
  refreshMs: 300_000,
  run: async (ctx, params, scope) => {
    const { figures } = ctx;
    if (!figures || params.period !== 'month') return queryBrandRanking(ctx.store, ctx.now, params, scope);
    const from = brandPeriodStart(ctx.now, params);
    const [checkins, reads] = await Promise.all([
      queryActivityCheckins(ctx.store, from, scope),
      queryArticleReads(ctx.store, from, scope),
    ]);
    const { articles } = figures;
    return rankBrands(
      articles.brandCatalogue(from, scope),
      articles.brandPractice(checkins),
      articles.brandReach(reads),
    );
  },
};
