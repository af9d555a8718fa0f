/**
 * Day-over-day change of a KPI tile: today so far against yesterday up to the same time of day
 * (the `kpi.compare` query), and which tiles have such a pair.
 */
import type { KpiKey } from '../../shared/kpi';
import type { CompareMetric } from '../../shared/queries/kpi-compare';

/** Tiles counting "today": compared as a change; all-time counters show today's increment instead. */
export const COMPARE_OF: Partial<Record<KpiKey, { metric: CompareMetric; kind: 'change' | 'increment' }>> = {
  checkinsToday: { metric: 'checkins', kind: 'change' },
  activitiesToday: { metric: 'activities', kind: 'change' },
  mediaReadsToday: { metric: 'mediaReads', kind: 'change' },
  appealsReceived: { metric: 'appeals', kind: 'increment' },
  appealsClosed: { metric: 'appealsClosed', kind: 'increment' },
};

export interface Change {
  diff: number;
  /** Relative change, e.g. 0.125 for +12.5 %; null when yesterday had nothing to compare with. */
  ratio: number | null;
  direction: 'up' | 'down' | 'flat';
}

export function dayOverDay(today: number, yesterday: number): Change {
  const diff = today - yesterday;
  return {
    diff,
    ratio: yesterday > 0 ? diff / yesterday : null,
    direction: diff > 0 ? 'up' : diff < 0 ? 'down' : 'flat',
  };
}

/**
 * "+12.5%", "−3.0%", "0.0%"; with no base, the absolute change ("+42"). Without `signed` the sign
 * is left out, for a caller that shows the direction as an arrow.
 */
export function formatChange(change: Change, formatInt: (n: number) => string, signed = true): string {
  const sign = !signed ? '' : change.diff > 0 ? '+' : change.diff < 0 ? '−' : '';
  if (change.ratio === null) return `${sign}${formatInt(Math.abs(change.diff))}`;
  return `${sign}${Math.abs(change.ratio * 100).toFixed(1)}%`;
}
