/**
 * Raw deltas on top of the last ClickHouse evaluation: events accepted by ingest but not yet in
 * the figures the hub last read. Pure, so the arithmetic is tested without a server.
 */
import { EventType, type PracticeEvent } from '../../shared/events.js';
import { closureRate, type KpiSnapshot } from '../../shared/kpi.js';
import type { TrendPoint } from '../../shared/live.js';

const DAY_MS = 86_400_000;
/** The county's civil day (UTC+8, no daylight saving in China). */
export const dayOf = (ms: number) => Math.floor((ms + 8 * 3_600_000) / DAY_MS);

export function applyToKpi(base: KpiSnapshot, events: readonly PracticeEvent[], nowMs: number): KpiSnapshot {
  const k = { ...base, asOf: nowMs };
  const today = dayOf(nowMs);
  for (const e of events) {
    const isToday = dayOf(e.ts) === today;
    switch (e.type) {
      case EventType.checkin:
        if (isToday) {
          k.checkinsToday += 1;
          k.volunteersActive += 1;
        }
        break;
      case EventType.checkout:
        if (isToday) k.volunteersActive = Math.max(0, k.volunteersActive - 1);
        break;
      case EventType.appealReceived:
        k.appealsReceived += 1;
        break;
      case EventType.appealClosed:
        k.appealsClosed += 1;
        break;
      case EventType.mediaRead:
        if (isToday) k.mediaReadsToday += e.reads;
        break;
      case EventType.volunteerStatus:
      case EventType.appealAssigned:
      case EventType.appealReplied:
      case EventType.order:
      case EventType.mediaPublished:
        break;
    }
  }
  k.appealClosureRate = closureRate(k.appealsReceived, k.appealsClosed);
  return k;
}

/** Adds check-ins to the per-minute trend; minutes outside the window are ignored. */
export function applyToTrend(base: readonly TrendPoint[], events: readonly PracticeEvent[]): TrendPoint[] {
  const points = base.map((p) => ({ ...p }));
  const index = new Map(points.map((p, i) => [p.t, i]));
  for (const e of events) {
    if (e.type !== EventType.checkin) continue;
    const i = index.get(Math.floor(e.ts / 60_000) * 60_000);
    const point = i === undefined ? undefined : points[i];
    if (point) point.checkins += 1;
  }
  return points;
}

/** Slides a trend window to end at `nowMs`'s minute, zero-filling new minutes. */
export function slideTrend(base: readonly TrendPoint[], nowMs: number, minutes: number): TrendPoint[] {
  const byMinute = new Map(base.map((p) => [p.t, p.checkins]));
  const last = Math.floor(nowMs / 60_000) * 60_000;
  const out: TrendPoint[] = [];
  for (let i = minutes - 1; i >= 0; i -= 1) {
    const t = last - i * 60_000;
    out.push({ t, checkins: byMinute.get(t) ?? 0 });
  }
  return out;
}

/** Points whose value differs from the previous frame (or are new), oldest first. */
export function changedPoints(prev: readonly TrendPoint[], next: readonly TrendPoint[]): TrendPoint[] {
  const before = new Map(prev.map((p) => [p.t, p.checkins]));
  return next.filter((p) => before.get(p.t) !== p.checkins);
}
