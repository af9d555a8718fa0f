import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import {
  CRITERIA,
  DEFAULT_EVALUATION,
  EvaluationConfigSchema,
  periodBounds,
  scoreUnits,
  type EvaluationConfig,
  type Figures,
  type UnitFigures,
} from '../../shared/evaluation.js';

const zero: Figures = {
  activities: 0,
  participants: 0,
  serviceHours: 0,
  ordersCompleted: 0,
  appealsClosed: 0,
  mediaReads: 0,
};
const unit = (id: string, figures: Partial<Figures>): UnitFigures => ({
  id,
  name: id,
  figures: { ...zero, ...figures },
});
const only = (criterion: keyof Figures, weight = 1): EvaluationConfig => ({
  weights: { ...zero, [criterion]: weight },
});

describe('scoreUnits: normalisation', () => {
  it('scores the best unit 100 and others by their share of the best figure', () => {
    const ranked = scoreUnits([unit('a', { activities: 5 }), unit('b', { activities: 20 })], only('activities'));
    expect(ranked.map((u) => [u.id, u.score])).toEqual([
      ['b', 100],
      ['a', 25],
    ]);
  });
  it('adds nothing for a criterion no unit scored on (no division by zero)', () => {
    const ranked = scoreUnits([unit('a', {}), unit('b', {})], DEFAULT_EVALUATION);
    expect(ranked.every((u) => u.score === 0 && Number.isFinite(u.score))).toBe(true);
  });
  it('does not depend on the scale of a criterion (hours vs reads)', () => {
    const small = scoreUnits([unit('a', { mediaReads: 1 }), unit('b', { mediaReads: 2 })], only('mediaReads'));
    const large = scoreUnits([unit('a', { mediaReads: 1e6 }), unit('b', { mediaReads: 2e6 })], only('mediaReads'));
    expect(small.map((u) => u.score)).toEqual(large.map((u) => u.score));
  });
});

describe('scoreUnits: weights', () => {
  const units = [unit('busy', { activities: 10, mediaReads: 1 }), unit('famous', { activities: 1, mediaReads: 10 })];
  it('follows the heavier criterion', () => {
    expect(scoreUnits(units, { weights: { ...zero, activities: 3, mediaReads: 1 } })[0]?.id).toBe('busy');
    expect(scoreUnits(units, { weights: { ...zero, activities: 1, mediaReads: 3 } })[0]?.id).toBe('famous');
  });
  it('uses only the ratios of the weights', () => {
    const a = scoreUnits(units, { weights: { ...zero, activities: 1, mediaReads: 1 } });
    const b = scoreUnits(units, { weights: { ...zero, activities: 40, mediaReads: 40 } });
    expect(a).toEqual(b);
    expect(a[0]?.score).toBe(55);
  });
  it('scores everyone 0 when every weight is 0', () => {
    expect(scoreUnits(units, { weights: zero }).map((u) => u.score)).toEqual([0, 0]);
  });
  it('the default weights validate and cover every criterion', () => {
    expect(Compile(EvaluationConfigSchema).Check(DEFAULT_EVALUATION)).toBe(true);
    expect(Object.keys(DEFAULT_EVALUATION.weights).sort()).toEqual([...CRITERIA].sort());
  });
  it('the schema refuses a negative or unknown weight', () => {
    const check = Compile(EvaluationConfigSchema);
    expect(check.Check({ weights: { ...DEFAULT_EVALUATION.weights, activities: -1 } })).toBe(false);
    expect(check.Check({ weights: { ...DEFAULT_EVALUATION.weights, likes: 1 } })).toBe(false);
  });
});

describe('scoreUnits: ties', () => {
  it('gives equal scores the same rank and skips the next (1, 2, 2, 4)', () => {
    const ranked = scoreUnits(
      [
        unit('d', { activities: 1 }),
        unit('c', { activities: 5 }),
        unit('b', { activities: 5 }),
        unit('a', { activities: 10 }),
      ],
      only('activities'),
    );
    expect(ranked.map((u) => [u.id, u.rank])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 2],
      ['d', 4],
    ]);
  });
  it('treats scores equal at the shown precision as a tie', () => {
    const ranked = scoreUnits(
      [unit('a', { activities: 100_000 }), unit('b', { activities: 99_999 }), unit('c', { activities: 100_000 })],
      only('activities'),
    );
    expect(ranked.map((u) => u.rank)).toEqual([1, 1, 1]);
  });
  it('keeps the input order out of the result (stable by id)', () => {
    const units = [unit('x', { activities: 2 }), unit('y', { activities: 2 })];
    expect(scoreUnits(units, only('activities'))).toEqual(scoreUnits([...units].reverse(), only('activities')));
  });
});

describe('periodBounds', () => {
  // 2026-08-01 01:00 in the county (UTC+8) is still 31 July in UTC: the county's calendar decides.
  const now = Date.UTC(2026, 6, 31, 17, 0);
  it('month: this month and the one before', () => {
    expect(periodBounds('month', now)).toEqual({ start: '2026-08-01', previous: '2026-07-01' });
  });
  it('half: July–December and the first half before it', () => {
    expect(periodBounds('half', now)).toEqual({ start: '2026-07-01', previous: '2026-01-01' });
  });
  it('year: across the new year', () => {
    expect(periodBounds('year', now)).toEqual({ start: '2026-01-01', previous: '2025-01-01' });
    expect(periodBounds('month', Date.UTC(2026, 0, 10))).toEqual({ start: '2026-01-01', previous: '2025-12-01' });
  });
});
