/** Pure helpers of the panel content: thresholds, day-over-day, ranking movement, trend buckets and peaks. */
import { describe, expect, it } from 'vitest';
import type { Threshold } from '../../shared/panels.js';
import { dayOverDay, formatChange } from '../../client/charts/compare.js';
import { barShares, compactNumber, competitionRanks, movement } from '../../client/charts/ranking.js';
import { shortUnitName } from '../../client/format.js';
import { thresholdFor } from '../../client/charts/thresholds.js';
import {
  bucketLabel,
  bucketStart,
  buildTrendOption,
  markBuckets,
  markText,
  pinText,
  trendBuckets,
  trendPeaks,
} from '../../client/charts/trendOption.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('thresholdFor', () => {
  const rising: Threshold[] = [
    { value: 100, colour: '#ffc94a' },
    { value: 500, colour: '#ff5b5b', pulse: true },
  ];
  const falling: Threshold[] = [
    { value: 0.95, below: true, colour: '#ffb547' },
    { value: 0.9, below: true, colour: '#ff5b5b', pulse: true },
  ];
  it('picks the highest "at or above" rule reached', () => {
    expect(thresholdFor(99, rising)).toBeNull();
    expect(thresholdFor(100, rising)?.colour).toBe('#ffc94a');
    expect(thresholdFor(800, rising)?.pulse).toBe(true);
  });
  it('picks the lowest "below" rule the figure is under', () => {
    expect(thresholdFor(0.97, falling)).toBeNull();
    expect(thresholdFor(0.93, falling)?.colour).toBe('#ffb547');
    expect(thresholdFor(0.8, falling)?.colour).toBe('#ff5b5b');
  });
  it('prefers a pulsing rule, then the shortfall, when both kinds apply; ignores no data', () => {
    const mixed: Threshold[] = [
      { value: 10, colour: '#000001' },
      { value: 50, below: true, colour: '#000002' },
    ];
    expect(thresholdFor(20, mixed)?.colour).toBe('#000002');
    expect(
      thresholdFor(
        20,
        mixed.map((r) => (r.below ? r : { ...r, pulse: true })),
      )?.colour,
    ).toBe('#000001');
    expect(thresholdFor(null, rising)).toBeNull();
    expect(thresholdFor(5, undefined)).toBeNull();
  });
});

describe('day over day', () => {
  const fmt = (n: number) => String(n);
  it('gives the relative change and its direction', () => {
    expect(dayOverDay(120, 100)).toEqual({ diff: 20, ratio: 0.2, direction: 'up' });
    expect(formatChange(dayOverDay(120, 100), fmt)).toBe('+20.0%');
    expect(formatChange(dayOverDay(90, 100), fmt)).toBe('−10.0%');
    expect(dayOverDay(5, 5).direction).toBe('flat');
  });
  it('shows the absolute change when yesterday had nothing', () => {
    expect(dayOverDay(42, 0).ratio).toBeNull();
    expect(formatChange(dayOverDay(42, 0), fmt)).toBe('+42');
  });
});

describe('ranking helpers', () => {
  it('movement against the period before', () => {
    expect(movement(2, 5)).toEqual({ kind: 'up', by: 3 });
    expect(movement(4, 1)).toEqual({ kind: 'down', by: 3 });
    expect(movement(3, 3)).toEqual({ kind: 'same' });
    expect(movement(1, null)).toEqual({ kind: 'new' });
  });
  it('competition ranks share ties and skip after them', () => {
    expect(competitionRanks([9, 7, 7, 3, 3, 3, 1])).toEqual([1, 2, 2, 4, 4, 4, 7]);
  });
  it('bars relative to the best, none when nobody scored', () => {
    expect(barShares([50, 25, 0])).toEqual([1, 0.5, 0]);
    expect(barShares([0, 0])).toEqual([0, 0]);
  });
  it('compact figures and short unit names', () => {
    expect(compactNumber(123_456, 'zh-CN')).toBe('12.3万');
    expect(compactNumber(612_000_000, 'zh-CN')).toBe('6.12亿');
    expect(compactNumber(123_456, 'en')).toBe('123.5k');
    expect(compactNumber(980, 'zh-CN')).toBe('980');
    expect(shortUnitName('东升街道新时代文明实践所')).toBe('东升街道');
    expect(shortUnitName('新店社区新时代文明实践站')).toBe('新店社区');
    expect(shortUnitName('永塘图书馆新时代文明实践点')).toBe('永塘图书馆');
    expect(shortUnitName('新时代文明实践中心')).toBe('新时代文明实践中心');
  });
});

describe('trend buckets', () => {
  // 2026-11-23 10:30 in the county (UTC+8).
  const now = Date.UTC(2026, 10, 23, 2, 30);
  it('day buckets start at the county midnight, labelled by date', () => {
    const start = bucketStart(now, DAY);
    expect(start).toBe(Date.UTC(2026, 10, 22, 16, 0));
    expect(bucketLabel(start, DAY)).toBe('11-23');
    expect(bucketLabel(now, HOUR)).toMatch(/^\d\d:30$/); // the screen's clock
  });
  it('always exactly the window: missing buckets are zero, old points dropped (capped)', () => {
    const points = [
      { t: now - 40 * DAY, v: 9 }, // outside a 30-day window
      { t: bucketStart(now, DAY), v: 4 },
      { t: bucketStart(now, DAY) - 2 * DAY, v: 6 },
    ];
    const buckets = trendBuckets(points, now, DAY, 30);
    expect(buckets).toHaveLength(30);
    expect(buckets.at(-1)?.v).toBe(4);
    expect(buckets.at(-3)?.v).toBe(6);
    expect(buckets.reduce((s, b) => s + b.v, 0)).toBe(10);
  });
  it('peaks: the top and standouts only; a flat series has none', () => {
    expect(trendPeaks([1, 1, 1, 1])).toEqual([]);
    expect(trendPeaks([])).toEqual([]);
    const series = [2, 3, 2, 30, 2, 3, 2, 2, 25, 2, 3, 2, 2, 2, 2, 2];
    expect(trendPeaks(series)).toEqual([3, 8]);
    expect(trendPeaks(series, 1)).toEqual([3]);
  });
  it('pin text fits three characters', () => {
    expect([pinText(4.26), pinText(92.5), pinText(150), pinText(12_345)]).toEqual(['4.3', '93', '150', '12.3k']);
  });
  it('the option marks peaks and keeps one point per bucket', () => {
    const points = Array.from({ length: 60 }, (_, i) => ({ t: now - (59 - i) * 60_000, v: i === 20 ? 40 : 2 }));
    const option = buildTrendOption({
      points,
      bucketMs: 60_000,
      count: 60,
      endMs: now,
      seriesName: 'x',
      peakLabel: (v) => `peak ${v}`,
    }) as { series: { data: unknown[]; markPoint?: { data: { value: number }[] } }[] };
    expect(option.series[0]?.data).toHaveLength(60);
    expect(option.series[0]?.markPoint?.data.map((d) => d.value)).toEqual([40]);
  });
  it('annotates reports published in the window at their bucket, one a bucket, none outside', () => {
    const buckets = trendBuckets([], now, 60_000, 60);
    const first = buckets[0]?.t ?? 0;
    const marks = markBuckets(
      [
        { t: first + 30 * 60_000 + 5_000, label: 'a' },
        { t: first + 30 * 60_000 + 50_000, label: 'same minute' },
        { t: first - 1, label: 'before the window' },
        { t: first + 59 * 60_000, label: 'b' },
        { t: now + 60_000, label: 'after it' },
      ],
      buckets,
      60_000,
    );
    expect(marks).toEqual([
      { index: 30, label: 'a' },
      { index: 59, label: 'b' },
    ]);
    const option = buildTrendOption({
      points: [],
      bucketMs: 60_000,
      count: 60,
      endMs: now,
      seriesName: 'x',
      peakLabel: String,
      marks: [{ t: first + 10 * 60_000, label: '《宣讲》' }],
    }) as { series: { markLine?: { data: { xAxis: number; name: string }[] } }[] };
    expect(option.series[0]?.markLine?.data).toMatchObject([{ xAxis: 10, name: '《宣讲》' }]);
  });
  it('cuts a long title to fit, counting characters, not UTF-16 units', () => {
    expect(markText('双流区垃圾分类宣传')).toBe('双流区垃圾分类宣传');
    expect(markText('【幸福双流·致敬追光者】东升理论宣讲进社区')).toBe('【幸福双流·致敬追光者…');
    expect(markText('𠀀𠀁𠀂𠀃', 3)).toBe('𠀀𠀁…');
  });
});
