/** `trend`: events (or a summed value) per bucket over a window, with the reports published in it. */
import { Type, type Static } from 'typebox';
import { WindowSchema } from './window.js';

/** What a trend panel counts: events per bucket, or the summed value (service hours, reads). */
export const TrendMetric = {
  checkins: 'checkins',
  appeals: 'appeals',
  appealsClosed: 'appealsClosed',
  orders: 'orders',
  serviceHours: 'serviceHours',
  mediaReads: 'mediaReads',
} as const;
export type TrendMetric = (typeof TrendMetric)[keyof typeof TrendMetric];

export const TrendParams = Type.Object(
  { metric: Type.Enum(Object.values(TrendMetric)), window: WindowSchema },
  { additionalProperties: false },
);
export type TrendParams = Static<typeof TrendParams>;

export interface SeriesPoint {
  /** Bucket start, epoch ms. */
  t: number;
  v: number;
}
/**
 * A trend's annotation: a report the convergence-media center published inside the window (两中心融合),
 * so a rise in check-ins or reads sits beside what was published; the most-read first.
 */
export interface TrendMark {
  /** Published, epoch ms. */
  t: number;
  title: string;
  nodeId: string;
  /** Reads since the start of the window's first hour. */
  reads: number;
}
export interface TrendResult {
  bucketMs: number;
  points: SeriesPoint[];
  marks: TrendMark[];
}
