/** `coverage` — "500米文明实践圈": sampled residents within `radiusM` of a practice site, and the uncovered cells. */
import { Type, type Static } from 'typebox';
import type { HeatPoint } from './heat.js';

export const CoverageParams = Type.Object(
  { radiusM: Type.Integer({ minimum: 100, maximum: 2000, multipleOf: 100 }) },
  { additionalProperties: false },
);
export type CoverageParams = Static<typeof CoverageParams>;

export interface CoverageResult {
  radiusM: number;
  /** Sampled residents in scope, and those within the radius of a site. */
  total: number;
  covered: number;
  /** Uncovered residents on a coarse grid: cell centres and how many live there. */
  uncovered: HeatPoint[];
  /** Grid cell size in metres. */
  cellM: number;
}
