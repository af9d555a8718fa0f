/**
 * `media.propagation`. Titles typed by people (an article's or an activity's may carry a phone or an
 * ID number) are masked like the feed's free text (shared/mask.ts) before the result leaves the
 * server; the store keeps them whole. A live server joins the window's reads with the articles it
 * keeps (live/articles.ts): over 100 M events the join with `articles FINAL` was half of the SQL's
 * time. A replay has no live figures and reads its past store.
 */
import { EventType } from '../../shared/events.js';
import { maskText } from '../../shared/mask.js';
import { WINDOW_MS } from '../../shared/queries/window.js';
import { queryArticleReads, queryMediaPropagation } from '../store/media-repository.js';
import type { QueryDefinition } from './definition.js';

export const mediaPropagation: QueryDefinition<'media.propagation'> = {
  sources: () => [EventType.mediaPublished, EventType.mediaRead],
  refreshMs: 60_000,
  run: async (ctx, params, scope) => {
    const { figures } = ctx;
    const result = figures
      ? figures.articles.propagation(
          await queryArticleReads(ctx.store, ctx.now - WINDOW_MS[params.window], scope),
          params.limit,
        )
      : await queryMediaPropagation(ctx.store, ctx.now, params, scope);
    return {
      ...result,
      articles: result.articles.map((a) => ({ ...a, title: maskText(a.title) })),
      activities: result.activities.map((a) => ({ ...a, title: maskText(a.title) })),
    };
  },
};
