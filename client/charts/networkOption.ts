/**
 * Pure option builder of the 阵地体系 bars (rows from map/scopeSummary.ts's unitRows): at the
 * district how many 站 and 点 each 所 runs; inside a town how many 点 each of its 站 runs, the
 * watched 站 lit.
 */
import type { EChartsCoreOption } from 'echarts/core';
import type { UnitRow } from '../map/scopeSummary';
import { CHART_TEXT, SPLIT_LINE, horizontalGradient } from './theme';

/** Rows a panel of `heightPx` holds without their 14 px labels touching (19 px a row, the legend above). */
export function rowsThatFit(heightPx: number): number {
  return Math.max(3, Math.floor((heightPx - 38) / 19));
}

export function buildNetworkOption(
  rows: readonly UnitRow[],
  labels: { stations: string; points: string },
  opts: { withStations: boolean; marked: string | null },
): EChartsCoreOption {
  const bar = (name: string, data: unknown[], from: string, to: string) => ({
    name,
    type: 'bar',
    stack: 'nodes',
    barWidth: 12,
    data,
    itemStyle: { color: horizontalGradient(from, to) },
    emphasis: { disabled: true },
  });
  const lit = (r: UnitRow, value: number) =>
    r.id === opts.marked ? { value, itemStyle: { color: '#ffd54a', shadowColor: '#ffb300', shadowBlur: 8 } } : value;
  const points = {
    ...bar(
      labels.points,
      rows.map((r) => lit(r, r.points)),
      'rgba(126, 240, 196, 0.4)',
      '#7ef0c4',
    ),
    label: {
      show: true,
      position: 'right',
      color: '#e8f5ff',
      fontSize: 14,
      fontWeight: 'bold',
      fontFamily: CHART_TEXT.fontFamily,
      formatter: (p: { dataIndex: number }) => {
        const r = rows[p.dataIndex];
        return r ? String(r.stations + r.points) : '';
      },
    },
  };
  const stations = bar(
    labels.stations,
    rows.map((r) => r.stations),
    'rgba(63, 162, 255, 0.35)',
    '#3fa2ff',
  );
  return {
    animationDuration: 900,
    legend: {
      top: 4,
      right: 12,
      itemWidth: 12,
      itemHeight: 8,
      textStyle: CHART_TEXT,
      data: opts.withStations ? [labels.stations, labels.points] : [labels.points],
    },
    grid: { left: 96, right: 44, top: 30, bottom: 8 },
    xAxis: { type: 'value', axisLabel: { show: false }, splitLine: SPLIT_LINE },
    yAxis: {
      type: 'category',
      data: rows.map((r) => r.name),
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: { ...CHART_TEXT, color: '#cfe6ff', fontSize: 14, width: 88, overflow: 'truncate' },
    },
    series: opts.withStations ? [stations, points] : [points],
  };
}
