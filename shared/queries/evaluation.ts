/** `evaluation` (一月一评估): 所 or 站 of the scope scored with the configured weights, with their movement. */
import { Type, type Static } from 'typebox';
import { EvaluationPeriod, type Criterion, type Figures } from '../evaluation.js';

export const EvaluationLevel = { institute: 'institute', station: 'station' } as const;
export type EvaluationLevel = (typeof EvaluationLevel)[keyof typeof EvaluationLevel];

export const PeriodSchema = Type.Enum(Object.values(EvaluationPeriod));

export const EvaluationParams = Type.Object(
  { period: PeriodSchema, level: Type.Enum(Object.values(EvaluationLevel)) },
  { additionalProperties: false },
);
export type EvaluationParams = Static<typeof EvaluationParams>;

export interface EvaluationRow {
  id: string;
  name: string;
  figures: Figures;
  score: number;
  rank: number;
  /** Rank in the period before (last month, …); null when the unit had nothing then. */
  previousRank: number | null;
}
export interface EvaluationResult {
  /** First day of the period (YYYY-MM-DD, the county's calendar). */
  start: string;
  weights: Record<Criterion, number>;
  rows: EvaluationRow[];
}
