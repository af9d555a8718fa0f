/**
 * Raw deltas on top of the last ClickHouse evaluation: events accepted by ingest but not yet in
 * the figures the hub last read. Each accepted batch is summarized once into a small Delta, so a
 * frame costs O(batches pending), not O(events pending). Pure, so the arithmetic is tested alone.
 */
import { EventType, type PracticeEvent } from '../../shared/events.js';
import { closureRate, type KpiSnapshot } from '../../shared/kpi.js';
import type { TrendPoint } from '../../shared/live.js';
import { localDay } from '../../shared/time-zone.js';

/** The county's civil day (shared/time-zone.ts). */
export const dayOf = localDay;

export interface Delta {
  /** The civil day the today-figures below belong to. */
  day: number;
  checkinsToday: number;
  readsToday: number;
  appealsReceived: number;
  appealsClosed: number;
  /** Check-ins per minute start (epoch ms). */
  minutes: Map<number, number>;
}

export function summarize(events: readonly PracticeEvent[], nowMs: number): Delta {
  const d: Delta = {
    day: dayOf(nowMs),
    checkinsToday: 0,
    readsToday: 0,
    appealsReceived: 0,
    appealsClosed: 0,
    minutes: new Map(),
  };
  for (const e of events) {
    const isToday = dayOf(e.ts) === d.day;
    switch (e.type) {
      case EventType.checkin: {
        const minute = Math.floor(e.ts / 60_000) * 60_000;
        d.minutes.set(minute, (d.minutes.get(minute) ?? 0) + 1);
        if (isToday) d.checkinsToday += 1;
        break;
      }
      case EventType.appealReceived:
        d.appealsReceived += 1;
        break;
      case EventType.appealClosed:
        d.appealsClosed += 1;
        break;
      case EventType.mediaRead:
        if (isToday) d.readsToday += e.reads;
        break;
      case EventType.checkout:
      case EventType.volunteerStatus:
      case EventType.appealAssigned:
      case EventType.appealReplied:
      case EventType.order:
      case EventType.mediaPublished:
        break;
    }
  }
  return d;
}

/**
 * Base figures plus pending deltas: a delta of an earlier day adds only to the all-time figures,
 * and base figures evaluated before midnight start today's from nothing. Volunteers on duty and
 * today's activities count distinct things, which a raw event cannot add to without knowing who
 * was there: they stay as evaluated (the next evaluation, about a second later, has them) rather
 * than counting a volunteer who checks in twice twice and jumping back.
 */
export function applyToKpi(base: KpiSnapshot, deltas: readonly Delta[], nowMs: number): KpiSnapshot {
  const k = { ...base, asOf: nowMs };
  const today = dayOf(nowMs);
  if (dayOf(base.asOf) !== today) {
    k.checkinsToday = 0;
    k.volunteersActive = 0;
    k.activitiesToday = 0;
    k.mediaReadsToday = 0;
  }
  for (const d of deltas) {
    k.appealsReceived += d.appealsReceived;
    k.appealsClosed += d.appealsClosed;
    if (d.day !== today) continue;
    k.checkinsToday += d.checkinsToday;
    k.mediaReadsToday += d.readsToday;
  }
  k.appealClosureRate = closureRate(k.appealsReceived, k.appealsClosed);
  return k;
}

/** Adds pending check-ins to the per-minute trend; minutes outside the window are ignored. */
export function applyToTrend(base: readonly TrendPoint[], deltas: readonly Delta[]): TrendPoint[] {
  const points = base.map((p) => ({ ...p }));
  const index = new Map(points.map((p, i) => [p.t, i]));
  for (const d of deltas) {
    for (const [minute, n] of d.minutes) {
      const i = index.get(minute);
      const point = i === undefined ? undefined : points[i];
      if (point) point.checkins += n;
    }
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
