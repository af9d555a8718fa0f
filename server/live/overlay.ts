/**
 * Raw deltas on top of the last ClickHouse evaluation: events accepted by ingest but not yet in
 * the figures the hub last read. Each accepted batch is summarized once into a small Delta, so a
 * frame costs O(batches pending), not O(events pending). Pure, so the arithmetic is tested alone.
 */
import { EventType, type PracticeEvent } from '../../shared/events.js';
import { closureRate, type KpiSnapshot } from '../../shared/kpi.js';
import type { TrendPoint } from '../../shared/live.js';
import { dayOf, later, type DayPresence, type Presence } from '../../shared/presence.js';

export interface Delta {
  /** The civil day the today-figures below belong to. */
  day: number;
  checkinsToday: number;
  /** Today's activities checked in to, and each volunteer's last check-in or check-out today. */
  activities: Set<string>;
  volunteers: Map<string, Presence>;
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
    activities: new Set(),
    volunteers: new Map(),
    readsToday: 0,
    appealsReceived: 0,
    appealsClosed: 0,
    minutes: new Map(),
  };
  const present = (volunteerId: string, p: Presence) => {
    const known = d.volunteers.get(volunteerId);
    d.volunteers.set(volunteerId, known ? later(p, known) : p);
  };
  for (const e of events) {
    const isToday = dayOf(e.ts) === d.day;
    switch (e.type) {
      case EventType.checkin: {
        const minute = Math.floor(e.ts / 60_000) * 60_000;
        d.minutes.set(minute, (d.minutes.get(minute) ?? 0) + 1);
        if (isToday) {
          d.checkinsToday += 1;
          d.activities.add(e.activityId);
          present(e.volunteerId, { checkedIn: true, ts: e.ts });
        }
        break;
      }
      case EventType.checkout:
        if (isToday) present(e.volunteerId, { checkedIn: false, ts: e.ts });
        break;
      case EventType.appealReceived:
        d.appealsReceived += 1;
        break;
      case EventType.appealClosed:
        d.appealsClosed += 1;
        break;
      case EventType.mediaRead:
        if (isToday) d.readsToday += e.reads;
        break;
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
 * Base figures plus pending deltas, exactly what ClickHouse will answer once they are stored: a
 * delta of an earlier day adds only to the all-time figures, and base figures of an earlier day
 * (the evaluation before midnight) start today's from nothing.
 */
export function applyToKpi(
  base: KpiSnapshot,
  presence: DayPresence,
  deltas: readonly Delta[],
  nowMs: number,
): KpiSnapshot {
  const k = { ...base, asOf: nowMs };
  const today = dayOf(nowMs);
  const sameDay = presence.day === today;
  if (!sameDay) {
    k.checkinsToday = 0;
    k.mediaReadsToday = 0;
  }
  // The presence may already hold some pending events (it is merged as the store is read); merging
  // them again changes nothing, so the distinct counts below stay exact.
  const known = (id: string) => (sameDay ? presence.volunteers.get(id) : undefined);
  const ran = (activity: string) => sameDay && presence.activities.has(activity);
  // Distinct counts change only through the volunteers and activities the deltas touch.
  const touched = new Map<string, Presence>();
  const newActivities = new Set<string>();
  for (const d of deltas) {
    k.appealsReceived += d.appealsReceived;
    k.appealsClosed += d.appealsClosed;
    if (d.day !== today) continue;
    k.checkinsToday += d.checkinsToday;
    k.mediaReadsToday += d.readsToday;
    for (const a of d.activities) if (!ran(a)) newActivities.add(a);
    for (const [id, p] of d.volunteers) {
      const before = touched.get(id) ?? known(id);
      touched.set(id, before ? later(p, before) : p);
    }
  }
  let active = sameDay ? presence.active : 0;
  for (const [id, p] of touched) active += Number(p.checkedIn) - Number(known(id)?.checkedIn ?? false);
  k.volunteersActive = active;
  k.activitiesToday = (sameDay ? presence.activities.size : 0) + newActivities.size;
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
