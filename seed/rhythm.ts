/**
 * The county's rhythm: how many of each kind of event to expect in any span of time, from the
 * articles' yearly figures, the local hour, the weekday and the county's activity days. The history
 * (seed/history/params.ts) samples its days and hours from it and the live simulator draws its
 * Poisson counts from it, so a wall at 3 a.m. is as quiet as the history's 3 a.m., and "yesterday at
 * this time" is comparable with today.
 */
import { DEFAULT_TIME_ZONE } from '../shared/time-zone.js';
import type { Yearly } from '../shared/network.js';
import { localTime } from './local-time.js';

export { localTime, localMidnight } from './local-time.js';

/** What arrives on its own: activities started, appeals received, orders requested (点单), articles, read reports. */
export type Kind = 'activity' | 'appeal' | 'order' | 'publish' | 'read';
export const KINDS: readonly Kind[] = ['activity', 'appeal', 'order', 'publish', 'read'];

/** Relative weight of each local hour 0..23: activities by day, appeals in office hours, reads in the evening. */
const HOURLY: Readonly<Record<Kind, readonly number[]>> = {
  activity: [
    0.02, 0.01, 0.01, 0.01, 0.01, 0.05, 0.2, 0.6, 1.5, 2.5, 2.5, 1.8, 0.8, 0.8, 2, 2.5, 2.2, 1.5, 1, 1.2, 1, 0.4, 0.1,
    0.05,
  ],
  appeal: [
    0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 1.6, 2.2, 2.2, 1.8, 1, 1, 1.8, 2, 1.8, 1.4, 1, 1.2, 1.2, 0.9, 0.5, 0.2,
  ],
  order: [
    0.05, 0.02, 0.02, 0.02, 0.02, 0.1, 0.4, 1, 2, 2.4, 2.2, 1.6, 1, 1.2, 2, 2.2, 1.8, 1.2, 0.8, 0.8, 0.6, 0.3, 0.1,
    0.05,
  ],
  publish: [
    0.05, 0.02, 0.02, 0.02, 0.02, 0.05, 0.3, 1.2, 2, 2.2, 1.8, 1.5, 1, 1, 1.6, 1.8, 1.6, 1.3, 1.1, 1, 0.8, 0.6, 0.3,
    0.1,
  ],
  read: [
    0.6, 0.3, 0.15, 0.1, 0.1, 0.2, 0.6, 1.2, 1.4, 1, 0.9, 1, 1.4, 1.2, 0.9, 0.8, 0.8, 1, 1.3, 1.8, 2.4, 2.6, 2, 1.2,
  ],
};

/**
 * Weight of each weekday, Monday first; each row sums to 7, so a plain week holds seven average days.
 * Volunteers turn out at weekends (activities, 点单); appeals and the newsroom keep office days;
 * reads follow the articles, on no calendar of their own.
 */
const WEEKLY: Readonly<Record<Kind, readonly number[]>> = {
  activity: [0.8, 0.8, 0.8, 0.8, 0.8, 1.5, 1.5],
  appeal: [1.15, 1.1, 1.1, 1.1, 1.05, 0.75, 0.75],
  order: [0.9, 0.9, 0.9, 0.9, 0.9, 1.25, 1.25],
  publish: [1.1, 1.1, 1.1, 1.1, 1.1, 0.75, 0.75],
  read: [1, 1, 1, 1, 1, 1, 1],
};

/**
 * Days the whole network turns out for activities (month-day → factor on top of the weekday):
 * 学雷锋纪念日 (3 月 5 日) and 国际志愿者日 (12 月 5 日), the volunteer days of the calendar.
 */
export const ACTIVITY_DAYS: Readonly<Record<string, number>> = { '03-05': 2.5, '12-05': 2.5 };

/** The activity days' extra weight spread over a year, so a year still sums to the article's figure. */
const YEAR_NORM = 1 + Object.values(ACTIVITY_DAYS).reduce((sum, f) => sum + f - 1, 0) / 365;

/** Participants of one activity: min + a uniform integer below span (history SQL: 4 + hash % 24). */
export const PARTICIPANTS = { min: 4, span: 24 } as const;
/** Check-ins fall in [start − before, start − before + span); check-outs in [end − before, end − before + span). */
export const CHECKIN_WINDOW_MIN = { before: 15, span: 25 } as const;
export const CHECKOUT_WINDOW_MIN = { before: 10, span: 30 } as const;
/** An activity lasts min + U(0, span) minutes. */
export const DURATION_MIN = { min: 90, span: 150 } as const;
/** Activities start on the hour or the half hour. */
export const SLOT_MIN = 30;
/** Minutes from an appeal's receipt to its assignment, then to the reply, then to the closure: [min, span). */
export const APPEAL_STEP_MIN: readonly (readonly [number, number])[] = [
  [10, 240],
  [60, 4_260],
  [60, 2_820],
];
/** Read counters reported per article (three a day over four days). */
export const READ_REPORTS = 12;

const HOUR_MS = 3_600_000;
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** Share of a day's `kind` falling in local hour 0..23 (the 24 shares sum to 1). */
export function hourShare(kind: Kind, hour: number): number {
  const weights = HOURLY[kind];
  return (weights[hour] ?? 0) / sum(weights);
}

/** Cumulative hour shares (last = 1): the history's sampling table for the hour of a day. */
export function hourCdf(kind: Kind): number[] {
  let acc = 0;
  return Array.from({ length: 24 }, (_, h) => (acc += hourShare(kind, h)));
}

/** A day's weight relative to the average day of the year (weekday × activity day). */
export function dayFactor(kind: Kind, ts: number, timeZone = DEFAULT_TIME_ZONE): number {
  const local = localTime(ts, timeZone);
  const weekday = WEEKLY[kind][local.weekday] ?? 1;
  if (kind !== 'activity') return weekday;
  const key = `${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
  return (weekday * (ACTIVITY_DAYS[key] ?? 1)) / YEAR_NORM;
}

/** How many of `kind` an average day holds, from the county's yearly figures. */
export function dailyCount(kind: Kind, yearly: Yearly): number {
  const perYear = {
    activity: yearly.activities,
    appeal: yearly.appealsReceived,
    order: yearly.orders,
    publish: yearly.articles,
    read: yearly.articles * READ_REPORTS,
  }[kind];
  return perYear / 365;
}

/** Expected `kind` per hour at `ts`: constant within a local hour. */
export function ratePerHour(kind: Kind, yearly: Yearly, ts: number, timeZone = DEFAULT_TIME_ZONE): number {
  const { hour } = localTime(ts, timeZone);
  return dailyCount(kind, yearly) * dayFactor(kind, ts, timeZone) * hourShare(kind, hour);
}

/** Expected `kind` in [from, to): the hourly rate integrated hour piece by hour piece. */
export function expectedCount(kind: Kind, yearly: Yearly, from: number, to: number, timeZone = DEFAULT_TIME_ZONE) {
  let total = 0;
  for (let t = from; t < to;) {
    const next = Math.min(to, (Math.floor(t / HOUR_MS) + 1) * HOUR_MS); // zones here sit on whole hours
    total += (ratePerHour(kind, yearly, t, timeZone) * (next - t)) / HOUR_MS;
    t = next;
  }
  return total;
}

/** Mean participants of an activity, hence check-ins (and check-outs) per activity. */
export const MEAN_PARTICIPANTS = PARTICIPANTS.min + (PARTICIPANTS.span - 1) / 2;

/**
 * Expected check-ins in [from, to): each half-hour slot's activities check in uniformly over their
 * window, so the count is the slots' expected activities times the share of their window inside.
 */
export function expectedCheckins(yearly: Yearly, from: number, to: number, timeZone = DEFAULT_TIME_ZONE): number {
  const slotMs = SLOT_MIN * 60_000;
  const before = CHECKIN_WINDOW_MIN.before * 60_000;
  const span = CHECKIN_WINDOW_MIN.span * 60_000;
  let total = 0;
  for (let s = Math.floor((from - span + before) / slotMs) * slotMs; s < to + before; s += slotMs) {
    const overlap = Math.max(0, Math.min(to, s - before + span) - Math.max(from, s - before));
    if (overlap > 0) total += expectedCount('activity', yearly, s, s + slotMs, timeZone) * (overlap / span);
  }
  return total * MEAN_PARTICIPANTS;
}

/**
 * Events of every family an average day holds: a check-in and a check-out per participant, four
 * steps per appeal, about ten order transitions and statuses per order, an article and its read
 * reports. An explicit simulator rate (events/s) is a multiple of this.
 */
export function dailyEvents(yearly: Yearly): number {
  return (
    dailyCount('activity', yearly) * 2 * MEAN_PARTICIPANTS +
    dailyCount('appeal', yearly) * 4 +
    dailyCount('order', yearly) * 10 +
    dailyCount('publish', yearly) +
    dailyCount('read', yearly)
  );
}
