/**
 * My record (志愿记录) on the phone: hours served by month (from check-outs), orders completed, and
 * the ratings those orders received. The months are a fixed run ending this month, so a month
 * without service shows as 0 rather than missing.
 */
import { Type, type Static } from 'typebox';

export const RECORD_MONTHS = 12;

export const FieldRecordSchema = Type.Object({
  /** Sum of the months below. */
  totalHours: Type.Number(),
  /** `yyyy-MM` on the county's clock, oldest first, RECORD_MONTHS of them ending this month. */
  months: Type.Array(Type.Object({ month: Type.String(), hours: Type.Number() })),
  /** Orders this volunteer completed (their `completed` transitions). */
  completed: Type.Integer(),
  ratings: Type.Object({
    /** Their completed orders that were rated (`rated` transitions). */
    count: Type.Integer(),
    /** Mean of the scores known (a citizen's rating from the public page keeps its score); null when none. */
    average: Type.Union([Type.Number(), Type.Null()]),
    /** The latest, newest first: when, and the score (0 when the rating's score was not kept). */
    recent: Type.Array(Type.Object({ at: Type.Integer(), score: Type.Integer() })),
  }),
});
export type FieldRecord = Static<typeof FieldRecordSchema>;

/** `yyyy-MM` of a year and month (1–12). */
const label = (year: number, month: number): string => `${year}-${String(month).padStart(2, '0')}`;

/**
 * The `count` months ending with `end` (a `yyyyMM` number, as ClickHouse's toYYYYMM gives it), each
 * with the hours `rows` give it (0 when none); rows outside the run are left out.
 */
export function monthSeries(
  rows: readonly { yyyymm: number; hours: number }[],
  end: number,
  count = RECORD_MONTHS,
): { month: string; hours: number }[] {
  const byMonth = new Map(rows.map((r) => [r.yyyymm, r.hours]));
  const out: { month: string; hours: number }[] = [];
  let year = Math.floor(end / 100);
  let month = end % 100;
  for (let i = 0; i < count; i++) {
    out.push({ month: label(year, month), hours: Math.round((byMonth.get(year * 100 + month) ?? 0) * 10) / 10 });
    month -= 1;
    if (month === 0) {
      month = 12;
      year -= 1;
    }
  }
  return out.reverse();
}

/** The mean of the known scores (1–5) to one decimal; null when none is known. */
export function averageScore(scores: readonly number[]): number | null {
  const known = scores.filter((s) => s >= 1 && s <= 5);
  if (known.length === 0) return null;
  return Math.round((known.reduce((a, b) => a + b, 0) / known.length) * 10) / 10;
}
