/** `brands.ranking`: a period view, refreshed on a timer too (a new month changes it). */
import { EventType } from '../../shared/events.js';
import { queryBrandRanking } from '../store/media-repository.js';
import type { QueryDefinition } from './definition.js';

export const brandsRanking: QueryDefinition<'brands.ranking'> = {
  sources: () => [EventType.mediaPublished, EventType.mediaRead, EventType.checkin],
  refreshMs: 300_000,
  run: (ctx, params, scope) => queryBrandRanking(ctx.store, ctx.now, params, scope),
};
