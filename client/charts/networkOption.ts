/** Pure data and option builders for the per-所 bar chart: how many 站 and 点 each institute runs. */
import type { EChartsCoreOption } from 'echarts/core';
import type { Network } from '../../shared/network';
import { shortUnitName } from '../format';
import { CHART_TEXT, SPLIT_LINE, horizontalGradient } from './theme';

export interface InstituteRow {
  id: string;
  name: string;
  stations: number;
  points: number;
}

export function instituteRows(network: Network): InstituteRow[] {
  const townNames = new Map<string, string>();
  for (const f of network.towns.features) {
    const props = (f as { properties?: Record<string, unknown> }).properties;
    const id = props?.['instituteId'];
    const name = props?.['name'];
    if (typeof id === 'string' && typeof name === 'string') townNames.set(id, name);
  }
  const rows = new Map<string, InstituteRow>();
  for (const n of network.nodes) {
    if (n.level === 'institute') {
      rows.set(n.id, { id: n.id, name: townNames.get(n.id) ?? shortUnitName(n.name), stations: 0, points: 0 });
    }
  }
  for (const n of network.nodes) {
    const row = n.instituteId ? rows.get(n.instituteId) : undefined;
    if (!row) continue;
    if (n.level === 'station') row.stations += 1;
    if (n.level === 'point') row.points += 1;
  }
  // Largest at the top: ECharts draws category axes bottom-up, so sort ascending.
  return [...rows.values()].sort((a, b) => a.stations + a.points - (b.stations + b.points));
}

export function buildNetworkOption(
  rows: readonly InstituteRow[],
  labels: { stations: string; points: string },
): EChartsCoreOption {
  const bar = (name: string, data: number[], from: string, to: string) => ({
    name,
    type: 'bar',
    stack: 'nodes',
    barWidth: 12,
    data,
    itemStyle: { color: horizontalGradient(from, to) },
    emphasis: { disabled: true },
  });
  return {
    animationDuration: 900,
    legend: {
      top: 4,
      right: 12,
      itemWidth: 12,
      itemHeight: 8,
      textStyle: CHART_TEXT,
      data: [labels.stations, labels.points],
    },
    grid: { left: 96, right: 44, top: 30, bottom: 8 },
    xAxis: { type: 'value', axisLabel: { show: false }, splitLine: SPLIT_LINE },
    yAxis: {
      type: 'category',
      data: rows.map((r) => r.name),
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: { ...CHART_TEXT, color: '#cfe6ff', fontSize: 14 },
    },
    series: [
      bar(
        labels.stations,
        rows.map((r) => r.stations),
        'rgba(63, 162, 255, 0.35)',
        '#3fa2ff',
      ),
      {
        ...bar(
          labels.points,
          rows.map((r) => r.points),
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
      },
    ],
  };
}
