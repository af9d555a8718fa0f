/** Pure option builder for the check-ins-per-minute trend (last 60 minutes). */
import type { EChartsCoreOption } from 'echarts/core';
import type { TrendPoint } from '../../shared/live';
import { formatMinute } from '../format';
import { AXIS_LINE, CHART_TEXT, SPLIT_LINE, verticalGradient } from './theme';

const MINUTE = 60_000;

/**
 * The 60 one-minute buckets ending at `endMs`'s minute. Minutes the server did not send had no
 * check-ins, so the line drops to zero there instead of bridging the gap.
 */
export function trendWindow(
  points: readonly TrendPoint[],
  endMs: number,
  minutes = 60,
): { t: number; checkins: number }[] {
  const end = Math.floor(endMs / MINUTE) * MINUTE;
  const byMinute = new Map(points.map((p) => [Math.floor(p.t / MINUTE) * MINUTE, p.checkins]));
  return Array.from({ length: minutes }, (_, i) => {
    const t = end - (minutes - 1 - i) * MINUTE;
    return { t, checkins: byMinute.get(t) ?? 0 };
  });
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

export function buildTrendOption(points: readonly TrendPoint[], endMs: number, seriesName: string): EChartsCoreOption {
  const buckets = trendWindow(points, endMs);
  const labels = buckets.map((p) => formatMinute(p.t));
  const values = buckets.map((p) => p.checkins);
  const last = buckets.length - 1;
  const scale = trendScale(Math.max(...values));
  return {
    animationDurationUpdate: 400,
    grid: { left: 46, right: 22, top: 30, bottom: 30 },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      data: labels,
      axisLine: AXIS_LINE,
      axisTick: { show: false },
      axisLabel: { ...CHART_TEXT, interval: 9 },
    },
    yAxis: {
      type: 'value',
      min: 0,
      ...scale,
      axisLabel: CHART_TEXT,
      splitLine: SPLIT_LINE,
    },
    series: [
      {
        name: seriesName,
        type: 'line',
        data: values,
        smooth: 0.35,
        symbol: 'none',
        lineStyle: { width: 2.5, color: '#34e4ff', shadowColor: 'rgba(0, 229, 255, 0.7)', shadowBlur: 10 },
        areaStyle: { color: verticalGradient('rgba(0, 200, 255, 0.45)', 'rgba(0, 120, 255, 0.02)') },
      },
      {
        // The current minute pulses: the line is live, not a report.
        type: 'effectScatter',
        data: [[last, values[last] ?? 0]],
        symbolSize: 9,
        itemStyle: { color: '#8ff6ff', shadowColor: '#00e5ff', shadowBlur: 10 },
        rippleEffect: { scale: 3.2, brushType: 'stroke' },
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
