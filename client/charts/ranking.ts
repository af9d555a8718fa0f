/** Pure helpers of ranking lists: rank movement against the period before, and bar widths. */

export type Movement = { kind: 'up' | 'down'; by: number } | { kind: 'same' } | { kind: 'new' };

/** Rank 2 after rank 5 is "up 3"; a unit with nothing in the period before is "new". */
export function movement(rank: number, previousRank: number | null): Movement {
  if (previousRank === null) return { kind: 'new' };
  if (previousRank === rank) return { kind: 'same' };
  return previousRank > rank ? { kind: 'up', by: previousRank - rank } : { kind: 'down', by: rank - previousRank };
}

/** Each row's bar as a share of the best row's value (0..1); all zero when nobody scored. */
export function barShares(values: readonly number[]): number[] {
  const best = Math.max(0, ...values);
  return values.map((v) => (best > 0 ? Math.max(0, v) / best : 0));
}

/** Compact large figures for narrow columns: 12,345 → "1.2万" (zh) or "12.3k" (en). */
export function compactNumber(value: number, locale: string): string {
  const zh = locale.startsWith('zh');
  const abs = Math.abs(value);
  if (zh && abs >= 1e8) return `${(value / 1e8).toFixed(2)}亿`;
  if (zh && abs >= 1e4) return `${(value / 1e4).toFixed(1)}万`;
  if (!zh && abs >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (!zh && abs >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  return new Intl.NumberFormat(locale, { maximumFractionDigits: value % 1 === 0 ? 0 : 1 }).format(value);
}

/** Competition ranks (1, 2, 2, 4) of values already sorted best first. */
export function competitionRanks(sortedValues: readonly number[]): number[] {
  const ranks: number[] = [];
  sortedValues.forEach((v, i) => ranks.push(i > 0 && sortedValues[i - 1] === v ? (ranks[i - 1] ?? i + 1) : i + 1));
  return ranks;
}
