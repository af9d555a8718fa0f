/**
 * `media.propagation`. Titles typed by people (an article's or an activity's may carry a phone or an
 * ID number) are masked like the feed's free text (shared/mask.ts) before the result leaves the
 * server; the store keeps them whole.
 */
import { EventType } from '../../shared/events.js';
import { maskText } from '../../shared/mask.js';
import { queryMediaPropagation } from '../store/media-repository.js';
import type { QueryDefinition } from './definition.js';

export const mediaPropagation: QueryDefinition<'media.propagation'> = {
  sources: () => [EventType.mediaPublished, EventType.mediaRead],
  refreshMs: 60_000,
  run: async (ctx, params, scope) => {
    const result = await queryMediaPropagation(ctx.store, ctx.now, params, scope);
    return {
      ...result,
      articles: result.articles.map((a) => ({ ...a, title: maskText(a.title) })),
      activities: result.activities.map((a) => ({ ...a, title: maskText(a.title) })),
    };
  },
};
