/** Time windows a panel query can ask for; the bucket (minute, hour, day) follows from the window. */
import { Type } from 'typebox';

export const TimeWindow = { h1: '1h', h6: '6h', h24: '24h', d7: '7d', d30: '30d' } as const;
export type TimeWindow = (typeof TimeWindow)[keyof typeof TimeWindow];
export const WindowSchema = Type.Enum(Object.values(TimeWindow));

export const HOUR = 3_600_000;
export const WINDOW_MS: Record<TimeWindow, number> = {
  '1h': HOUR,
  '6h': 6 * HOUR,
  '24h': 24 * HOUR,
  '7d': 7 * 24 * HOUR,
  '30d': 30 * 24 * HOUR,
};
export const BUCKET_MS: Record<TimeWindow, number> = {
  '1h': 60_000,
  '6h': 5 * 60_000,
  '24h': HOUR,
  '7d': HOUR,
  '30d': 24 * HOUR,
};
