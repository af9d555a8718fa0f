/**
 * 一月一评估、半年一总结、年度一评比: the evaluation of 所 and 站 by a weighted score over what they
 * did in the period. Pure: the server feeds it per-unit figures and the configured weights
 * (config/evaluation.json, validated against EvaluationConfigSchema at start).
 */
import { Type, type Static } from 'typebox';
import { UTC_OFFSET_MS } from './time-zone.js';

/** What a unit is scored on, in the order the articles list them. */
export const CRITERIA = [
  'activities',
  'participants',
  'serviceHours',
  'ordersCompleted',
  'appealsClosed',
  'mediaReads',
] as const;
export type Criterion = (typeof CRITERIA)[number];
export type Figures = Record<Criterion, number>;

const Weight = Type.Number({ minimum: 0, maximum: 100 });
export const EvaluationConfigSchema = Type.Object(
  {
    /** Relative weights; only their ratios matter (they are divided by their sum). */
    weights: Type.Object(
      {
        activities: Weight,
        participants: Weight,
        serviceHours: Weight,
        ordersCompleted: Weight,
        appealsClosed: Weight,
        mediaReads: Weight,
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type EvaluationConfig = Static<typeof EvaluationConfigSchema>;

export const DEFAULT_EVALUATION: EvaluationConfig = {
  weights: {
    activities: 25,
    participants: 15,
    serviceHours: 20,
    ordersCompleted: 15,
    appealsClosed: 10,
    mediaReads: 15,
  },
};

export interface UnitFigures {
  id: string;
  name: string;
  figures: Figures;
}

export interface RankedUnit extends UnitFigures {
  /** 0..100: the weighted mean of the unit's figures relative to the best unit's. */
  score: number;
  /** Competition ranking (1, 2, 2, 4): units with the same score share a rank. */
  rank: number;
}

/** Scores are compared at two decimals, the precision the wall shows, so a tie looks like one. */
const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * Each criterion is normalised by the best unit's figure (the best scores 1, nothing scores 0, so
 * the score does not depend on the worst unit as min–max would), then weighted. A criterion nobody
 * scored on adds 0 for everyone. Weights summing to 0 leave every score 0.
 */
export function scoreUnits(units: readonly UnitFigures[], config: EvaluationConfig): RankedUnit[] {
  const best = Object.fromEntries(CRITERIA.map((c) => [c, Math.max(0, ...units.map((u) => u.figures[c]))])) as Figures;
  const total = CRITERIA.reduce((sum, c) => sum + config.weights[c], 0);
  const scored = units.map((u) => {
    const weighted = CRITERIA.reduce((sum, c) => {
      const top = best[c];
      return top > 0 ? sum + config.weights[c] * (Math.max(0, u.figures[c]) / top) : sum;
    }, 0);
    return { ...u, score: total > 0 ? round2((100 * weighted) / total) : 0, rank: 0 };
  });
  // Ties keep a stable order (by id) so the list does not shuffle between updates.
  scored.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  scored.forEach((u, i) => {
    const previous = scored[i - 1];
    u.rank = previous !== undefined && previous.score === u.score ? previous.rank : i + 1;
  });
  return scored;
}

/** The evaluation periods: this month, this half-year, this year (to date). */
export const EvaluationPeriod = { month: 'month', half: 'half', year: 'year' } as const;
export type EvaluationPeriod = (typeof EvaluationPeriod)[keyof typeof EvaluationPeriod];

/**
 * Start of the period containing `now` and of the one before it, as calendar dates (YYYY-MM-DD) in
 * the county's time zone (shared/time-zone.ts), so the SQL compares whole days.
 */
export function periodBounds(period: EvaluationPeriod, now: number): { start: string; previous: string } {
  const local = new Date(now + UTC_OFFSET_MS);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth();
  const months = period === 'month' ? 1 : period === 'half' ? 6 : 12;
  const first = month - (month % months);
  const iso = (y: number, m: number): string => new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  return { start: iso(year, first), previous: iso(year, first - months) };
}
