/**
 * Pure option builder of the trend panel: a series per minute, five minutes, hour or day (the
 * `trend` query's window decides), always exactly the window's buckets — capped, however long a
 * screen stays on — with its peaks and the reports published in the window annotated.
 */
import type { EChartsCoreOption } from 'echarts/core';
import type { TrendPoint } from '../../shared/live';
import type { SeriesPoint } from '../../shared/queries/trend';
import { UTC_OFFSET_MS } from '../../shared/time-zone';
import { formatMinute } from '../format';
import { placeMarks } from './trendMarks';
import { AXIS_LINE, CHART_TEXT, SPLIT_LINE, verticalGradient } from './theme';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** The county's offset from UTC (shared/time-zone.ts): day buckets start at its midnight. */
const COUNTY_OFFSET = UTC_OFFSET_MS;

/** Start of the bucket holding `t`; days and hours on the county's clock. */
export function bucketStart(t: number, bucketMs: number): number {
  return Math.floor((t + COUNTY_OFFSET) / bucketMs) * bucketMs - COUNTY_OFFSET;
}

/**
 * The `count` buckets ending with the one holding `endMs`. Buckets the server did not send had
 * nothing, so the line drops to zero there instead of bridging the gap; points outside the window
 * are dropped, so the series never grows.
 */
export function trendBuckets(
  points: readonly SeriesPoint[],
  endMs: number,
  bucketMs: number,
  count: number,
): SeriesPoint[] {
  const end = bucketStart(endMs, bucketMs);
  const byBucket = new Map<number, number>();
  for (const p of points) {
    const b = bucketStart(p.t, bucketMs);
    byBucket.set(b, (byBucket.get(b) ?? 0) + p.v);
  }
  return Array.from({ length: count }, (_, i) => {
    const t = end - (count - 1 - i) * bucketMs;
    return { t, v: byBucket.get(t) ?? 0 };
  });
}

/** The first version's per-minute hour, kept for the live store's trend. */
export function trendWindow(
  points: readonly TrendPoint[],
  endMs: number,
  minutes = 60,
): { t: number; checkins: number }[] {
  const series = points.map((p) => ({ t: p.t, v: p.checkins }));
  return trendBuckets(series, endMs, MINUTE, minutes).map((p) => ({ t: p.t, checkins: p.v }));
}

/**
 * Buckets worth a marker: the highest one, and others standing out (a local maximum above mean +
 * 2σ), at most `max`, highest first, each at least `minGap` buckets from a higher one (two pins
 * side by side would sit on each other). An empty or flat series has none.
 */
export function trendPeaks(values: readonly number[], max = 3, minGap = 1): number[] {
  if (values.length === 0) return [];
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
  const top = Math.max(...values);
  if (top <= 0 || sd === 0) return [];
  return values
    .map((v, i) => ({ v, i }))
    .filter(({ v, i }) => v === top || (v > mean + 2 * sd && v >= (values[i - 1] ?? 0) && v > (values[i + 1] ?? 0)))
    .sort((a, b) => b.v - a.v || a.i - b.i)
    .filter((p, k, all) => all.findIndex((q) => q.v === p.v) === k) // one marker per height
    .reduce<number[]>((kept, p) => (kept.every((i) => Math.abs(i - p.i) >= minGap) ? [...kept, p.i] : kept), [])
    .slice(0, max);
}

/**
 * A y axis of about four whole, round steps (1, 2, 5 × 10ⁿ) whose top is a multiple of the step:
 * left to itself ECharts adds the data maximum as an extra label that collides with the last tick.
 */
export function trendScale(maxValue: number): { max: number; interval: number } {
  const rough = Math.max(1, maxValue) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const interval = Math.max(1, Math.ceil(step));
  return { max: Math.max(interval, Math.ceil(maxValue / interval) * interval), interval };
}

const pad = (n: number): string => String(n).padStart(2, '0');
/**
 * Axis label of a bucket: a day by the county's date (its buckets start at the county's
 * midnight), 11-23; a minute or hour on the screen's clock, 14:05, the clock its header shows.
 */
export function bucketLabel(t: number, bucketMs: number): string {
  if (bucketMs >= DAY) {
    const d = new Date(t + COUNTY_OFFSET);
    return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  }
  return formatMinute(t);
}

/** A pin holds three characters: whole numbers from 10 up, one decimal below, 1.2k above 999. */
export function pinText(v: number): string {
  if (v >= 1000) return `${(v / 1000).toFixed(1)}k`;
  return v >= 10 ? String(Math.round(v)) : String(Math.round(v * 10) / 10);
}

/** An annotation at a time: a report published (its title), drawn as a dashed line at its bucket. */
export interface TrendMarkInput {
  t: number;
  label: string;
}

/** The bucket indexes of marks inside the window, one mark a bucket (the first given wins). */
export function markBuckets(
  marks: readonly TrendMarkInput[],
  buckets: readonly SeriesPoint[],
  bucketMs: number,
): { index: number; label: string }[] {
  const first = buckets[0]?.t ?? 0;
  const taken = new Set<number>();
  return marks.flatMap((m) => {
    const index = Math.floor((bucketStart(m.t, bucketMs) - first) / bucketMs);
    if (index < 0 || index >= buckets.length || taken.has(index)) return [];
    taken.add(index);
    return [{ index, label: m.label }];
  });
}

const GRAPHEMES = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/** A mark's label: a report title cut to fit beside the line. */
export function markText(title: string, max = 12): string {
  const chars = Array.from(GRAPHEMES.segment(title), (g) => g.segment);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : title;
}

export interface TrendInput {
  points: readonly SeriesPoint[];
  bucketMs: number;
  /** Buckets shown: the window divided by the bucket. */
  count: number;
  endMs: number;
  seriesName: string;
  /** Text of a peak marker, given its value ("峰值 128"). */
  peakLabel: (value: number) => string;
  /** Line colour; a threshold reached colours the line. */
  colour?: string;
  /** Events to annotate (reports published), the most important first. */
  marks?: readonly TrendMarkInput[];
}

/** The grid's margins: the plot is the chart less these. */
const GRID = { left: 52, right: 24, top: 34, bottom: 28 };

/** `size`: the chart's pixels (design pixels), so the annotations can be placed clear of each other. */
export function buildTrendOption(
  input: TrendInput,
  size: { width: number; height: number } = { width: 600, height: 300 },
): EChartsCoreOption {
  const buckets = trendBuckets(input.points, input.endMs, input.bucketMs, input.count);
  const values = buckets.map((p) => Math.round(p.v * 10) / 10);
  const last = buckets.length - 1;
  const scale = trendScale(Math.max(...values) * 1.15);
  const colour = input.colour ?? '#34e4ff';
  // The running bucket carries its own label; a marker beside it would sit on top of that label.
  const plot = {
    width: size.width - GRID.left - GRID.right,
    height: size.height - GRID.top - GRID.bottom,
    count: buckets.length,
    max: scale.max,
  };
  // A pin is 38 px wide: peaks closer than that in pixels would draw their pins on each other.
  const pinGap = Math.ceil(40 / (plot.width / Math.max(1, plot.count - 1)));
  const peaks = trendPeaks(values.slice(0, Math.max(0, last - 2)), 3, pinGap);
  const marks = placeMarks(markBuckets(input.marks ?? [], buckets, input.bucketMs), values, peaks, plot);
  return {
    // No tween between answers: it redrew the canvas on every animation frame for 400 ms after each
    // (an answer a second at 100 updates/s), most of the chart's cost on a 4K wall. The line steps.
    animationDurationUpdate: 0,
    grid: GRID,
    xAxis: {
      type: 'category',
      boundaryGap: false,
      data: buckets.map((p) => bucketLabel(p.t, input.bucketMs)),
      axisLine: AXIS_LINE,
      axisTick: { show: false },
      axisLabel: { ...CHART_TEXT, interval: Math.max(0, Math.ceil(buckets.length / 6) - 1) },
    },
    yAxis: { type: 'value', min: 0, ...scale, axisLabel: CHART_TEXT, splitLine: SPLIT_LINE },
    series: [
      {
        name: input.seriesName,
        type: 'line',
        data: values,
        smooth: 0.35,
        symbol: 'none',
        lineStyle: { width: 2.5, color: colour, shadowColor: colour, shadowBlur: 10 },
        areaStyle: { color: verticalGradient(`${colour}73`, `${colour}05`) },
        markPoint: {
          symbol: 'pin',
          symbolSize: 38,
          itemStyle: { color: '#ffb547', shadowColor: 'rgba(255, 181, 71, 0.7)', shadowBlur: 8 },
          label: {
            show: true,
            fontSize: 12,
            color: '#1b1300',
            fontWeight: 'bold',
            formatter: (p: { value?: unknown }) => pinText(Number(p.value)),
          },
          data: peaks.map((i) => ({
            coord: [i, values[i] ?? 0],
            value: values[i] ?? 0,
            name: input.peakLabel(values[i] ?? 0),
          })),
        },
        markLine: {
          silent: true,
          symbol: 'none',
          animation: false,
          lineStyle: { color: 'rgba(196, 160, 255, 0.75)', type: 'dashed', width: 1 },
          label: {
            formatter: '{b}',
            distance: 5,
            color: '#dccbff',
            fontSize: 12,
            backgroundColor: 'rgba(20, 12, 48, 0.72)',
            padding: [2, 5],
          },
          data: marks.map((m) => ({ xAxis: m.index, name: m.label, label: { position: m.position } })),
        },
      },
      {
        // The running bucket: a glowing dot with its figure. Not a rippling effectScatter: its
        // animation never stops, and on a wall left on it cost 170 ms of main thread a second
        // (npm run bench -- frontend: 266 ms/s idle with it, 97 without).
        type: 'scatter',
        data: [[last, values[last] ?? 0]],
        symbolSize: 11,
        itemStyle: { color: '#8ff6ff', borderColor: colour, borderWidth: 2, shadowColor: colour, shadowBlur: 14 },
        label: {
          show: true,
          position: 'top',
          distance: 10,
          formatter: String(values[last] ?? 0),
          color: '#e8f5ff',
          fontSize: 15,
          fontWeight: 'bold',
        },
        z: 3,
      },
    ],
  };
}
