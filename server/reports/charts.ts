/**
 * The report's charts, drawn by ECharts on the server as SVG strings (its SSR renderer: no canvas,
 * no browser) and put inline in the HTML Chromium prints, so they come out as vectors in the PDF.
 * No animation: the SVG is the final frame, the same every time for the same figures.
 */
import * as echarts from 'echarts';
import { CRITERIA } from '../../shared/evaluation.js';
import type { ReportData } from '../../shared/report.js';
import { REPORT_WORDS as W } from './words.js';

const FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif";
const INK = '#1d2b3a';
const NOW = '#1f6fd1';
const BEFORE = '#a9bdd6';
const WARN = '#d9822b';

function svg(width: number, height: number, option: echarts.EChartsCoreOption): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ animation: false, textStyle: { fontFamily: FONT, color: INK }, ...option });
  const out = chart.renderToSVGString();
  chart.dispose();
  return out;
}

const axisLabel = { fontFamily: FONT, fontSize: 11, color: INK };

/** Scores of the ranked units (所, or a town's 站), best first, as horizontal bars. */
export function scoreChart(rows: ReportData['institutes'], title: string): string {
  const shown = rows.slice(0, 20).reverse();
  return svg(680, Math.max(160, 40 + shown.length * 22), {
    title: { text: title, left: 0, textStyle: { fontFamily: FONT, fontSize: 13, color: INK } },
    grid: { left: 130, right: 40, top: 30, bottom: 20 },
    xAxis: { type: 'value', max: 100, axisLabel },
    yAxis: { type: 'category', data: shown.map((r) => r.name), axisLabel },
    series: [
      {
        type: 'bar',
        data: shown.map((r) => r.score),
        itemStyle: { color: NOW },
        label: { show: true, position: 'right', fontFamily: FONT, fontSize: 10, formatter: '{c}' },
      },
    ],
  });
}

/** Each criterion this period against the one before, as a share of the one before (100 = unchanged). */
export function criteriaChart(data: ReportData): string {
  const names = CRITERIA.map((c) => W.criteriaShort[c]);
  return svg(680, 230, {
    title: { text: W.charts.criteria, left: 0, textStyle: { fontFamily: FONT, fontSize: 13, color: INK } },
    legend: { right: 0, top: 0, textStyle: { fontFamily: FONT, fontSize: 11 }, data: [W.previousPeriod, W.thisPeriod] },
    grid: { left: 50, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: names, axisLabel },
    yAxis: { type: 'value', axisLabel: { ...axisLabel, formatter: '{value}%' } },
    series: [
      { name: W.previousPeriod, type: 'bar', data: CRITERIA.map(() => 100), itemStyle: { color: BEFORE } },
      {
        name: W.thisPeriod,
        type: 'bar',
        data: CRITERIA.map((c) => {
          const t = data.totals[c];
          return t.previous > 0 ? Math.round((t.value / t.previous) * 1000) / 10 : null;
        }),
        itemStyle: { color: NOW },
        label: { show: true, position: 'top', fontFamily: FONT, fontSize: 10, formatter: '{c}%' },
      },
    ],
  });
}

/** The top brands by reads. */
export function brandsChart(data: ReportData): string {
  const shown = [...data.brands].reverse();
  return svg(680, Math.max(140, 40 + shown.length * 22), {
    title: { text: W.charts.brands, left: 0, textStyle: { fontFamily: FONT, fontSize: 13, color: INK } },
    grid: { left: 130, right: 70, top: 30, bottom: 20 },
    xAxis: { type: 'value', axisLabel },
    yAxis: { type: 'category', data: shown.map((b) => b.name), axisLabel },
    series: [
      {
        type: 'bar',
        data: shown.map((b) => b.reads),
        itemStyle: { color: NOW },
        label: { show: true, position: 'right', fontFamily: FONT, fontSize: 10, formatter: '{c}' },
      },
    ],
  });
}

/** Appeals closed by category against the target, this period and the one before. */
export function appealsChart(data: ReportData): string {
  const { current, previous } = data.appeals;
  const categories = current.byCategory.map((c) => c.category);
  const pct = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);
  const before = new Map(previous.byCategory.map((c) => [c.category, c.rate]));
  return svg(680, 220, {
    title: { text: W.charts.appeals, left: 0, textStyle: { fontFamily: FONT, fontSize: 13, color: INK } },
    legend: { right: 0, top: 0, textStyle: { fontFamily: FONT, fontSize: 11 }, data: [W.previousPeriod, W.thisPeriod] },
    grid: { left: 50, right: 60, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: [...categories.map((c) => W.categories[c] ?? c), W.total], axisLabel },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { ...axisLabel, formatter: '{value}%' } },
    series: [
      {
        name: W.previousPeriod,
        type: 'bar',
        data: [...categories.map((c) => pct(before.get(c) ?? null)), pct(previous.rate)],
        itemStyle: { color: BEFORE },
      },
      {
        name: W.thisPeriod,
        type: 'bar',
        data: [...current.byCategory.map((c) => pct(c.rate)), pct(current.rate)],
        itemStyle: { color: NOW },
        label: { show: true, position: 'top', fontFamily: FONT, fontSize: 10, formatter: '{c}%' },
        markLine: {
          symbol: 'none',
          lineStyle: { color: WARN, type: 'dashed' },
          label: { fontFamily: FONT, fontSize: 10, formatter: `${W.target} ${pct(current.target)}%` },
          data: [{ yAxis: pct(current.target) }],
        },
      },
    ],
  });
}
