/** `kpi.compare`: the KPI tiles' day-over-day change — today so far against yesterday up to the same time. */
import { Type, type Static } from 'typebox';

export const KpiCompareParams = Type.Object({}, { additionalProperties: false });
export type KpiCompareParams = Static<typeof KpiCompareParams>;

/** What `kpi.compare` counts. */
export const COMPARE_METRICS = [
  'checkins',
  'activities',
  'appeals',
  'appealsClosed',
  'ordersCompleted',
  'serviceHours',
  'mediaReads',
] as const;
export type CompareMetric = (typeof COMPARE_METRICS)[number];
export type CompareFigures = Record<CompareMetric, number>;

export interface KpiCompareResult {
  today: CompareFigures;
  yesterday: CompareFigures;
}
