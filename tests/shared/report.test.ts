import { describe, expect, it } from 'vitest';
import type { Figures } from '../../shared/evaluation.js';
import type { EvaluationResult, EvaluationRow } from '../../shared/queries/evaluation.js';
import {
  appealsClosure,
  change,
  closedPeriods,
  criteriaTotals,
  lastClosed,
  lastDay,
  periodRange,
  rankingTable,
  type PeriodRange,
} from '../../shared/report.js';

const at = (iso: string) => Date.parse(iso);
const range = (p: 'month' | 'half' | 'year', start: string) => periodRange(p, start) as PeriodRange;

describe('report periods', () => {
  it('knows where a month, half-year and year start and end, on the county clock', () => {
    const nov = range('month', '2026-11-01');
    expect(nov.startMs).toBe(at('2026-10-31T16:00:00Z'));
    expect(nov.endMs).toBe(at('2026-11-30T16:00:00Z'));
    expect(nov.previous).toBe('2026-10-01');
    expect(lastDay(nov)).toBe('2026-11-30');
    expect(range('half', '2026-01-01')).toMatchObject({ previous: '2025-07-01', endMs: at('2026-06-30T16:00:00Z') });
    expect(range('year', '2026-01-01').previous).toBe('2025-01-01');
    expect(range('month', '2026-01-01').previous).toBe('2025-12-01');
    expect(periodRange('half', '2026-03-01')).toMatch(/does not start a half/);
    expect(periodRange('year', '2026-07-01')).toMatch(/does not start a year/);
  });

  it('the last closed period turns at the county midnight, not UTC', () => {
    // 2026-12-01 00:30 in the county is still 30 November in UTC.
    expect(lastClosed('month', at('2026-11-30T16:30:00Z')).start).toBe('2026-11-01');
    expect(lastClosed('month', at('2026-11-30T15:30:00Z')).start).toBe('2026-10-01');
    expect(lastClosed('half', at('2026-12-07T00:00:00Z')).start).toBe('2026-01-01');
    expect(lastClosed('year', at('2026-12-07T00:00:00Z')).start).toBe('2025-01-01');
  });

  it('lists every period closed within the horizon, oldest first, for the schedule to catch up', () => {
    const list = closedPeriods(at('2026-12-07T00:00:00Z'), 3);
    expect(list.map((r) => `${r.period} ${r.start}`)).toEqual([
      'month 2026-09-01',
      'month 2026-10-01',
      'month 2026-11-01',
    ]);
    const year = closedPeriods(at('2026-12-07T00:00:00Z'), 12).map((r) => `${r.period} ${r.start}`);
    // Twelve months (December to November), two half-years and 2025 all ended after 2025-12-01.
    expect(year).toHaveLength(15);
    expect(year).toContain('half 2025-07-01');
    expect(year).toContain('half 2026-01-01');
    expect(year).toContain('year 2025-01-01');
    expect(year.at(-1)).toBe('month 2026-11-01');
  });
});

const figures = (f: Partial<Figures>): Figures => ({
  activities: 0,
  participants: 0,
  serviceHours: 0,
  ordersCompleted: 0,
  appealsClosed: 0,
  mediaReads: 0,
  ...f,
});
const row = (id: string, rank: number, f: Partial<Figures>, previousRank: number | null = null): EvaluationRow => ({
  id,
  name: id,
  figures: figures(f),
  score: 100 / rank,
  rank,
  previousRank,
});
const result = (rows: EvaluationRow[]): EvaluationResult => ({ start: '2026-11-01', weights: figures({}), rows });

describe('report tables', () => {
  it("puts each unit's figures beside its own figures of the period before, in the evaluation's order", () => {
    const now = result([
      row('A', 1, { activities: 10, mediaReads: 50 }, 2),
      row('B', 2, { activities: 4 }, 1),
      row('C', 3, {}),
    ]);
    const was = result([row('B', 1, { activities: 8 }), row('A', 2, { activities: 5, mediaReads: 0 })]);
    const table = rankingTable(now, was);
    expect(table.map((r) => [r.id, r.rank, r.previousRank])).toEqual([
      ['A', 1, 2],
      ['B', 2, 1],
      ['C', 3, null],
    ]);
    expect(table[0]?.figures.activities).toEqual({ value: 10, previous: 5, delta: 5, ratio: 1 });
    expect(table[0]?.figures.mediaReads).toEqual({ value: 50, previous: 0, delta: 50, ratio: null });
    expect(table[1]?.figures.activities.ratio).toBe(-0.5);
    // A unit with nothing before compares with zero.
    expect(table[2]?.figures.activities).toEqual({ value: 0, previous: 0, delta: 0, ratio: null });
    const totals = criteriaTotals(now, was);
    expect(totals.activities).toEqual(change(14, 13));
    expect(totals.serviceHours).toEqual({ value: 0, previous: 0, delta: 0, ratio: null });
  });

  it('appeals: closure of those received, by category and in all, against the target', () => {
    const a = appealsClosure([
      { category: 'complaint', received: 10, closed: 9 },
      { category: 'consult', received: 0, closed: 0 },
    ]);
    expect(a).toMatchObject({ received: 10, closed: 9, rate: 0.9, target: 0.978 });
    expect(a.byCategory.map((c) => c.rate)).toEqual([0.9, null]);
    expect(appealsClosure([]).rate).toBeNull();
  });
});
