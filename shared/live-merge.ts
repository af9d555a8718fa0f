/**
 * How live frames merge into what a screen holds, on the server (each scope's view), in the wall's
 * store and in the test walls alike — one rule, so a wall that has been up all day shows line for
 * line what a wall that just connected is sent.
 */
import type { FeedItem, TrendPoint } from './live.js';

interface Stamped {
  id: string;
  ts: number;
}

/**
 * Newest first by event time, ties by id (descending, byte order — as the store's
 * `ORDER BY ts DESC, id DESC`). Event time, not arrival: a device's check-in can reach the server
 * after an order the server stamped later, and a fresh screen reads the store in event time.
 */
export function newestFirst(a: Stamped, b: Stamped): number {
  if (a.ts !== b.ts) return b.ts - a.ts;
  if (a.id === b.id) return 0;
  return a.id < b.id ? 1 : -1;
}

/** The feed with `fresh` lines added: newest first, a re-sent id kept once, cut to `cap`. */
export function mergeFeed(current: readonly FeedItem[], fresh: readonly FeedItem[], cap: number): FeedItem[] {
  const seen = new Set<string>();
  const merged: FeedItem[] = [];
  for (const item of [...fresh, ...current]) {
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    merged.push(item);
  }
  return merged.sort(newestFirst).slice(0, cap);
}

/** A tick carries only the minutes whose count changed: replace those, append new ones, keep the last `cap`. */
export function mergeTrend(current: readonly TrendPoint[], changed: readonly TrendPoint[], cap: number): TrendPoint[] {
  if (changed.length === 0) return current.slice(-cap);
  const byMinute = new Map(current.map((p) => [p.t, p]));
  for (const p of changed) byMinute.set(p.t, p);
  return [...byMinute.values()].sort((a, b) => a.t - b.t).slice(-cap);
}
