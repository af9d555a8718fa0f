/** `brands.ranking`: the brands (128 in the articles) by their articles, activities, participants and reads in a period. */
import { Type, type Static } from 'typebox';
import { PeriodSchema } from './evaluation.js';

export const BrandsRankingParams = Type.Object({ period: PeriodSchema }, { additionalProperties: false });
export type BrandsRankingParams = Static<typeof BrandsRankingParams>;

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
