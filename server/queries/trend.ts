/**
 * `trend`. A report published is a new annotation; its reads re-rank them on the refresh timer.
 * Titles typed by people (a report's may carry a phone or an ID number, "求助电话138…") are masked
 * like the feed's free text (shared/mask.ts) before the result leaves the server; the store keeps
 * them whole.
 */
import { EventType } from '../../shared/events.js';
import { maskText } from '../../shared/mask.js';
import { METRIC_TYPES, queryTrend } from '../store/panel-repository.js';
import type { QueryDefinition } from './definition.js';

export const trend: QueryDefinition<'trend'> = {
  sources: (p) => [METRIC_TYPES[p.metric], EventType.mediaPublished],
  refreshMs: 30_000,
  run: async (ctx, params, scope) => {
    const result = await queryTrend(ctx.store, ctx.now, params, scope);
    return { ...result, marks: result.marks.map((m) => ({ ...m, title: maskText(m.title) })) };
  },
};
