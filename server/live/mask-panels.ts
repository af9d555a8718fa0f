/**
 * Titles typed by people reach every wall through panels too, not only through the feed: a report's
 * or an activity's title may carry a phone or an ID number ("求助电话138…"). They are masked like the
 * feed's free text (shared/mask.ts) before a result leaves the server; the store keeps them whole.
 */
import { maskText } from '../../shared/mask.js';
import type { MediaPropagation } from '../../shared/panel-queries.js';
import type { QueryResults } from '../../shared/queries.js';

export function maskTrend(result: QueryResults['trend']): QueryResults['trend'] {
  return { ...result, marks: result.marks.map((m) => ({ ...m, title: maskText(m.title) })) };
}

export function maskPropagation(result: MediaPropagation): MediaPropagation {
  return {
    ...result,
    articles: result.articles.map((a) => ({ ...a, title: maskText(a.title) })),
    activities: result.activities.map((a) => ({ ...a, title: maskText(a.title) })),
  };
}
