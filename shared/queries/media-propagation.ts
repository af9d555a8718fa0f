/** `media.propagation` (两中心融合): reads and shares in the window, the top brands, articles and activities. */
import { Type, type Static } from 'typebox';

export const MediaPropagationParams = Type.Object(
  { window: Type.Enum(['24h', '7d', '30d']), limit: Type.Integer({ minimum: 1, maximum: 20 }) },
  { additionalProperties: false },
);
export type MediaPropagationParams = Static<typeof MediaPropagationParams>;

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
