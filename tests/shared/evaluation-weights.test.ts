import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EVALUATION, scoreUnits, type Figures, type UnitFigures } from '../../shared/evaluation.js';
import {
  currentVersion,
  nextVersion,
  previewRanking,
  versionAt,
  WeightsSaveBodySchema,
  weightsProblem,
  type Weights,
  type WeightsVersion,
} from '../../shared/evaluation-weights.js';

const weights = (w: Partial<Weights>): Weights => ({
  activities: 0,
  participants: 0,
  serviceHours: 0,
  ordersCompleted: 0,
  appealsClosed: 0,
  mediaReads: 0,
  ...w,
});
const version = (n: number, w: Partial<Weights>): WeightsVersion => ({
  version: n,
  weights: weights(w),
  author: 'admin',
  createdAt: n * 1000,
  note: '',
});
const unit = (id: string, f: Partial<Figures>): UnitFigures => ({ id, name: id, figures: weights(f) });

describe('weights versions', () => {
  it('version 0 is the configuration until one is saved; then the highest number is in force', () => {
    expect(currentVersion([], DEFAULT_EVALUATION)).toMatchObject({
      version: 0,
      author: 'config',
      weights: DEFAULT_EVALUATION.weights,
    });
    const saved = [version(1, { activities: 100 }), version(3, { mediaReads: 100 }), version(2, { participants: 100 })];
    expect(currentVersion(saved, DEFAULT_EVALUATION).version).toBe(3);
    expect(nextVersion(saved)).toBe(4);
    expect(nextVersion([])).toBe(1);
  });

  it('the version in force at a moment is the newest saved by then (回放 scores a past minute with it)', () => {
    // Saved at 1 s, 2 s and 3 s (version(n) is saved at n seconds).
    const saved = [version(3, { mediaReads: 100 }), version(1, { activities: 100 }), version(2, { participants: 100 })];
    expect(versionAt(saved, DEFAULT_EVALUATION, 999)).toMatchObject({
      version: 0,
      weights: DEFAULT_EVALUATION.weights,
    });
    expect(versionAt(saved, DEFAULT_EVALUATION, 1000).version).toBe(1);
    expect(versionAt(saved, DEFAULT_EVALUATION, 2500).weights).toEqual(weights({ participants: 100 }));
    expect(versionAt(saved, DEFAULT_EVALUATION, Date.now()).version).toBe(3);
  });

  it('weights must add up to 100; the schema takes whole percentages 0–100 and nothing else', () => {
    expect(weightsProblem(DEFAULT_EVALUATION.weights)).toBeNull();
    expect(weightsProblem(weights({ activities: 60, mediaReads: 30 }))).toMatch(/90, not 100/);
    expect(weightsProblem(weights({}))).toMatch(/0, not 100/);
    const check = Compile(WeightsSaveBodySchema);
    const body = (w: unknown) => ({ weights: w, basedOn: 0 });
    expect(check.Check(body(DEFAULT_EVALUATION.weights))).toBe(true);
    expect(check.Check(body({ ...DEFAULT_EVALUATION.weights, activities: -1 }))).toBe(false);
    expect(check.Check(body({ ...DEFAULT_EVALUATION.weights, activities: 12.5 }))).toBe(false);
    expect(check.Check(body({ ...DEFAULT_EVALUATION.weights, activities: 101 }))).toBe(false);
    expect(check.Check(body({ ...DEFAULT_EVALUATION.weights, extra: 1 }))).toBe(false);
    const missing: Partial<Weights> = { ...DEFAULT_EVALUATION.weights };
    delete missing.mediaReads;
    expect(check.Check(body(missing))).toBe(false);
  });
});

describe('previewRanking', () => {
  const units = [
    unit('A', { activities: 10, mediaReads: 1 }),
    unit('B', { activities: 5, mediaReads: 10 }),
    unit('C', { activities: 1, mediaReads: 5 }),
  ];

  it('ranks the same units under both weights, side by side, in the draft order', () => {
    const rows = previewRanking(units, weights({ activities: 100 }), weights({ mediaReads: 100 }));
    expect(rows.map((r) => r.id)).toEqual(['B', 'C', 'A']);
    expect(rows.map((r) => [r.before.rank, r.after.rank, r.moved])).toEqual([
      [2, 1, 1],
      [3, 2, 1],
      [1, 3, -2],
    ]);
    // The scores are the evaluation's own.
    const after = scoreUnits(units, { weights: weights({ mediaReads: 100 }) });
    expect(rows.map((r) => r.after.score)).toEqual(after.map((u) => u.score));
  });

  it('an unchanged draft moves nobody', () => {
    const rows = previewRanking(units, DEFAULT_EVALUATION.weights, DEFAULT_EVALUATION.weights);
    expect(rows.every((r) => r.moved === 0 && r.before.score === r.after.score)).toBe(true);
  });
});
