import { describe, expect, it } from 'vitest';
import { averageScore, monthSeries } from '../../shared/record.js';

describe('hours by month', () => {
  it('runs twelve months back across the year’s turn, a month without service at 0', () => {
    const series = monthSeries(
      [
        { yyyymm: 202602, hours: 3.25 },
        { yyyymm: 202512, hours: 2 },
        { yyyymm: 202501, hours: 9 }, // 13 months back: outside the run
      ],
      202602,
    );
    expect(series).toHaveLength(12);
    expect(series[0]).toEqual({ month: '2025-03', hours: 0 });
    expect(series.slice(-3)).toEqual([
      { month: '2025-12', hours: 2 },
      { month: '2026-01', hours: 0 },
      { month: '2026-02', hours: 3.3 },
    ]);
  });

  it('takes any length of run', () => {
    expect(monthSeries([], 202601, 2).map((m) => m.month)).toEqual(['2025-12', '2026-01']);
  });
});

describe('the average rating', () => {
  it('averages the known scores to one decimal and leaves out those not kept', () => {
    expect(averageScore([5, 4, 0, 4])).toBe(4.3);
    expect(averageScore([0, 0])).toBeNull();
    expect(averageScore([])).toBeNull();
  });
});
