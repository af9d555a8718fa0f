/**
 * `brands.ranking`: a period view, refreshed on a timer too (a new month changes it). For a month a
 * live server takes the brands' articles and their reads' join from the articles it keeps
 * (live/articles.ts): over 100 M events the two statements over `articles FINAL` were two thirds of
 * the SQL's time. A half or a year has read most of the 89 k articles, and handing those rows over
 * cost more than ClickHouse's join (p50 827 against 572 ms for a year, timed alternately at load average
 * 17–32), so longer periods stay in SQL, as a replay's do.
 */
import { EventType } from '../../shared/events.js';
import {
  brandPeriodStart,
  queryArticleReads,
  queryBrandPractice,
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
    const [practice, reads] = await Promise.all([
      queryBrandPractice(ctx.store, from, scope),
      queryArticleReads(ctx.store, from, scope),
    ]);
    return rankBrands(figures.articles.brandCatalogue(from, scope), practice, figures.articles.brandReach(reads));
  },
};
