/**
 * Which brand an activity or a branded report belongs to. The county's flagships (the brands the
 * articles name: 空港新居民大学 runs 100+ courses in every town) take a fixed share of everything;
 * the rest goes to the brands of the town it happens in ("一镇街一品牌"). Drawn alike by the history
 * (seed/history/media.sql, from brandInstitutes and flagshipShare) and the live simulator, from two
 * numbers so each side brings its own randomness.
 */
import type { Brand } from './names.js';

/** Share of activities and branded reports that go to the flagships. */
export const FLAGSHIP_SHARE = 0.3;

/**
 * The brand of something happening in `instituteId` ('' for the county desk): a flagship when
 * `u` (uniform in [0, 1)) falls under FLAGSHIP_SHARE or the town has no brand of its own, else one
 * of the town's (also when the county names no flagship); `k` (any non-negative integer) says which.
 */
export function pickBrand(brands: readonly Brand[], instituteId: string, u: number, k: number): Brand | undefined {
  const flagships = brands.filter((b) => b.instituteId === '');
  const town = instituteId === '' ? [] : brands.filter((b) => b.instituteId === instituteId);
  const from = (u < FLAGSHIP_SHARE && flagships.length > 0) || town.length === 0 ? flagships : town;
  return from[k % from.length];
}
