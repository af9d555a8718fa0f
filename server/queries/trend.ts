/**
 * `trend`. A report published is a new annotation; its reads re-rank them on the refresh timer.
 * Titles typed by people (a report's may carry a phone or an ID number, "求助电话138…") are masked
 * like the feed's free text (shared/mask.ts) before the result leaves the server; the store keeps
 * them whole.
 */
import { EventType } from '../../shared/events.js';
import { maskText } from '../../shared/mask.js';
import { rankMarks } from '../live/articles.js';
import {
  METRIC_TYPES,
  queryReadsFromHour,
  queryTrend,
  queryTrendMarks,
  TREND_MARKS,
} from '../store/panel-repository.js';
import type { QueryDefinition } from './definition.js';

/** Up to this many candidate marks are named in the reads' statement. */
const NAMED_ARTICLES = 1_000;

export const trend: QueryDefinition<'trend'> = {
  sources: (p) => [METRIC_TYPES[p.metric], EventType.mediaPublished],
  refreshMs: 30_000,
  run: async (ctx, params, scope) => {
    const { figures } = ctx;
    // A live server picks the marks from the articles it keeps (live/articles.ts); ClickHouse sums
    // only the candidates' reads. Over 100 M events the marks' statement (the window's articles
    // joined with every article's reads) took p50 13–20 ms of the trend's 25–30. A district's 30
    // days name 7.5 k articles, and naming or reading them all cost more than that join (trend p50
    // 32.5 against 26.1 ms, timed alternately), so beyond NAMED_ARTICLES the SQL ranks them.
    const marks = figures
      ? async (from: number) => {
          const candidates = figures.articles.publishedSince(from, scope, NAMED_ARTICLES);
          if (!candidates) return queryTrendMarks(ctx.store, from, scope);
          const reads = await queryReadsFromHour(
            ctx.store,
            from,
            candidates.map((c) => c.id),
          );
          return rankMarks(candidates, reads, TREND_MARKS);
        }
      : undefined;
    const result = await queryTrend(ctx.store, ctx.now, params, scope, marks);
    return { ...result, marks: result.marks.map((m) => ({ ...m, title: maskText(m.title) })) };
  },
};
