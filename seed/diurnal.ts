/**
 * When things happen in a county's day (shared/time-zone.ts): activities by day, appeals in
 * office hours, reads peaking in the evening. The backfill samples hours from these curves and the
 * simulator scales its live rate by them, so history and the live wall have the same rhythm.
 */
import { localMidnight } from '../shared/time-zone.js';

/** Relative weight of each local hour 0..23 (the simulator adds a night floor so a 3 a.m. demo still moves). */
const DIURNAL = {
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
} as const;
export type Rhythm = keyof typeof DIURNAL;

/** Cumulative share of the day's events by the end of each hour (last = 1): the backfill's sampling table. */
export function hourCdf(rhythm: Rhythm): number[] {
  const weights = DIURNAL[rhythm];
  const total = weights.reduce((a, b) => a + b, 0);
  let sum = 0;
  return weights.map((w) => (sum += w) / total);
}

/** The curve at `ts` relative to its daily mean (1 = an average hour), interpolated between hours. */
export function diurnalLevel(rhythm: Rhythm, ts: number): number {
  const weights = DIURNAL[rhythm];
  const mean = weights.reduce((a, b) => a + b, 0) / weights.length;
  const hour = ((ts - localMidnight(ts)) / 3_600_000 - 0.5 + 24) % 24;
  const [h0, h1] = [Math.floor(hour), (Math.floor(hour) + 1) % 24];
  const f = hour - Math.floor(hour);
  return ((weights[h0] ?? mean) * (1 - f) + (weights[h1] ?? mean) * f) / mean;
}
