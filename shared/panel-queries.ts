/**
 * The panel-content queries (KPI day-over-day, evaluation, brands, media propagation): parameter
 * schemas and result types, spread into QUERY_PARAMS / QueryResults in shared/queries.ts. Kept here
 * so the evaluation and 两中心融合 contract reads in one place.
 */
import { Type } from 'typebox';
import { EvaluationPeriod, type Criterion, type Figures } from './evaluation.js';

const Period = Type.Enum(Object.values(EvaluationPeriod));

/** What `kpi.compare` counts, today so far and yesterday up to the same time of day. */
export const COMPARE_METRICS = [
  'checkins',
  'activities',
  'appeals',
  'appealsClosed',
  'ordersCompleted',
  'serviceHours',
  'mediaReads',
] as const;
export type CompareMetric = (typeof COMPARE_METRICS)[number];
export type CompareFigures = Record<CompareMetric, number>;

export const EvaluationLevel = { institute: 'institute', station: 'station' } as const;
export type EvaluationLevel = (typeof EvaluationLevel)[keyof typeof EvaluationLevel];

export const PANEL_QUERY_PARAMS = {
  'kpi.compare': Type.Object({}, { additionalProperties: false }),
  evaluation: Type.Object(
    { period: Period, level: Type.Enum(Object.values(EvaluationLevel)) },
    { additionalProperties: false },
  ),
  'brands.ranking': Type.Object({ period: Period }, { additionalProperties: false }),
  'media.propagation': Type.Object(
    { window: Type.Enum(['24h', '7d', '30d']), limit: Type.Integer({ minimum: 1, maximum: 20 }) },
    { additionalProperties: false },
  ),
};

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

export interface BrandRow {
  id: string;
  name: string;
  /** Articles published under the brand in the period. */
  articles: number;
  /** Distinct practice activities its articles report, and their check-ins (participants, 人次). */
  activities: number;
  participants: number;
  reads: number;
  shares: number;
}

export interface ArticleRow {
  id: string;
  title: string;
  brandId: string;
  activityId: string;
  reads: number;
  shares: number;
}
export interface BrandReach {
  id: string;
  name: string;
  reads: number;
  shares: number;
}
/** An activity's coverage: the articles reporting it and their reads (named by its most-read article). */
export interface ActivityReach {
  id: string;
  title: string;
  brandId: string;
  articles: number;
  reads: number;
}
export interface MediaPropagation {
  reads: number;
  shares: number;
  /** Reads of articles that report a practice activity (the 两中心 share). */
  activityReads: number;
  brands: BrandReach[];
  articles: ArticleRow[];
  activities: ActivityReach[];
}

export interface PanelQueryResults {
  'kpi.compare': { today: CompareFigures; yesterday: CompareFigures };
  evaluation: EvaluationResult;
  'brands.ranking': BrandRow[];
  'media.propagation': MediaPropagation;
}
