/** Pure merges of live frames into what the wall holds; no Vue, so they are trivially testable. */
import type { FeedItem, TrendPoint } from '../../shared/live';

/** Trend minutes kept: the chart shows the last hour. */
export const TREND_CAP = 60;
/** Feed lines kept: more than the board shows, few enough that weeks of uptime cost nothing. */
export const FEED_CAP = 60;

/** A tick carries only the minutes whose count changed: replace those, append new ones. */
export function mergeTrend(current: readonly TrendPoint[], changed: readonly TrendPoint[]): TrendPoint[] {
  if (changed.length === 0) return current.slice(-TREND_CAP);
  const byMinute = new Map(current.map((p) => [p.t, p]));
  for (const p of changed) byMinute.set(p.t, p);
  return [...byMinute.values()].sort((a, b) => a.t - b.t).slice(-TREND_CAP);
}

/**
 * Newest first by event time; an id seen twice (a re-sent event) is kept once. Sorting (stable)
 * rather than prepending: a frame may carry events that happened earlier than ones already held.
 */
export function mergeFeed(current: readonly FeedItem[], fresh: readonly FeedItem[]): FeedItem[] {
  const seen = new Set<string>();
  const merged: FeedItem[] = [];
  for (const item of [...fresh, ...current]) {
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    merged.push(item);
  }
  return merged.sort((a, b) => b.ts - a.ts).slice(0, FEED_CAP);
}
