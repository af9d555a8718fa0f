/**
 * The evaluation report (issue 17.4: 一月一评估、半年一总结、年度一评比): a closed month, half-year or
 * year of a scope, printed as a PDF and archived with the weights version it used and the figures
 * it printed. Pure: the periods (which closed when, which comes before), the request and list
 * schemas, and the report's tables built from the evaluation's own answers, so a test compares
 * them with the evaluation query figure by figure.
 */
import { Type, type Static } from 'typebox';
import type { RefusalCode } from './codes.js';
import { CRITERIA, EvaluationPeriod, type Criterion, type Figures } from './evaluation.js';
import type { Weights } from './evaluation-weights.js';
import type { BrandRow } from './queries/brands-ranking.js';
import type { EvaluationResult } from './queries/evaluation.js';
import { UTC_OFFSET, UTC_OFFSET_MS } from './time-zone.js';

/**
 * The closure target the report holds appeals to: the articles' own rate, 19,597 of 20,038 online
 * appeals closed (97.8 %), the county's standard to keep.
 */
export const APPEAL_CLOSURE_TARGET = 0.978;
/** Brands listed (of 128), and practice reports by reads. */
export const TOP_BRANDS = 10;
export const TOP_REPORTS = 5;

const MONTHS: Record<EvaluationPeriod, number> = { month: 1, half: 6, year: 12 };
const Day = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])-01$' });

export const ReportGenerateBodySchema = Type.Object(
  {
    period: Type.Enum(Object.values(EvaluationPeriod)),
    /** The period's first day (YYYY-MM-01: a half-year starts in January or July, a year in January). */
    start: Day,
    /** `district` (default) or a 所's id: the town's 站 ranked. */
    scope: Type.Optional(Type.String({ pattern: '^(district|I[0-9]{2,3})$' })),
    /** Default: the version in force; an archived report's own version reproduces it. */
    weightsVersion: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type ReportGenerateBody = Static<typeof ReportGenerateBodySchema>;

export const ReportSummarySchema = Type.Object({
  /** `<period>-<start>-<scope>-<generated at, ms>`: one per generation. */
  id: Type.String(),
  period: Type.Enum(Object.values(EvaluationPeriod)),
  start: Type.String(),
  scope: Type.String(),
  weightsVersion: Type.Integer(),
  bytes: Type.Integer(),
  sha256: Type.String(),
  /** A username, or `scheduler` for the one made when the period closed. */
  generatedBy: Type.String(),
  generatedAt: Type.Number(),
});
export type ReportSummary = Static<typeof ReportSummarySchema>;
export const ReportListSchema = Type.Object({ reports: Type.Array(ReportSummarySchema) });
export type ReportList = Static<typeof ReportListSchema>;
export const ReportIdParamsSchema = Type.Object({
  id: Type.String({ pattern: '^[a-z]+-[0-9-]+-[A-Za-z0-9]+-[0-9]+$', maxLength: 80 }),
});

export const ReportError = {
  badPeriod: 'REPORT_BAD_PERIOD',
  notFound: 'REPORT_NOT_FOUND',
} as const satisfies Record<string, RefusalCode>;

export interface PeriodRange {
  period: EvaluationPeriod;
  /** YYYY-MM-DD, the first day. */
  start: string;
  startMs: number;
  /** The next period's first moment (exclusive). */
  endMs: number;
  /** The period before's first day. */
  previous: string;
}

const firstOf = (year: number, month: number): string => new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
const midnight = (day: string): number => Date.parse(`${day}T00:00:00${UTC_OFFSET}`);

/** The period of kind `period` starting on `start`, or a reason it is not one (a half-year starting in May). */
export function periodRange(period: EvaluationPeriod, start: string): PeriodRange | string {
  const [y = NaN, m = NaN] = start.split('-').map(Number);
  const months = MONTHS[period];
  if (!Number.isInteger(y) || !Number.isInteger(m) || (m - 1) % months !== 0)
    return `${start} does not start a ${period} (it starts in month ${months === 1 ? '1–12' : months === 6 ? '1 or 7' : '1'})`;
  const startMs = midnight(start);
  return {
    period,
    start,
    startMs,
    endMs: midnight(firstOf(y, m - 1 + months)),
    previous: firstOf(y, m - 1 - months),
  };
}

/** The latest period of kind `period` wholly over at `now`. */
export function lastClosed(period: EvaluationPeriod, now: number): PeriodRange {
  const local = new Date(now + UTC_OFFSET_MS);
  const months = MONTHS[period];
  const month = local.getUTCMonth();
  const current = month - (month % months);
  return periodRange(period, firstOf(local.getUTCFullYear(), current - months)) as PeriodRange;
}

/**
 * Every period closed at `now` whose end lies within `horizonMonths` before it, oldest first: what
 * the scheduler makes sure is archived, so a server down at a month's end catches up when it starts.
 */
export function closedPeriods(now: number, horizonMonths: number): PeriodRange[] {
  const local = new Date(now + UTC_OFFSET_MS);
  const limitMs = midnight(firstOf(local.getUTCFullYear(), local.getUTCMonth() - horizonMonths));
  const out: PeriodRange[] = [];
  for (const period of Object.values(EvaluationPeriod)) {
    let range = lastClosed(period, now);
    while (range.endMs > limitMs) {
      out.push(range);
      range = periodRange(period, range.previous) as PeriodRange;
    }
  }
  return out.sort((a, b) => a.endMs - b.endMs || MONTHS[a.period] - MONTHS[b.period]);
}

export const reportKey = (r: Pick<PeriodRange, 'period' | 'start'>, scope: string): string =>
  `${r.period}-${r.start}-${scope}`;

/** A figure beside the period before's: the difference, and the share of it (null when there was nothing). */
export interface Change {
  value: number;
  previous: number;
  delta: number;
  /** delta / previous, or null when previous is 0. */
  ratio: number | null;
}
const round1 = (x: number): number => Math.round(x * 10) / 10;
export function change(value: number, previous: number): Change {
  const delta = round1(value - previous);
  return { value, previous, delta, ratio: previous > 0 ? (value - previous) / previous : null };
}

export interface RankingRow {
  rank: number;
  /** Rank in the period before; null when the unit had nothing then. */
  previousRank: number | null;
  id: string;
  name: string;
  score: number;
  figures: Record<Criterion, Change>;
}

/**
 * The ranking table: the evaluation of the period (its ranks and scores as they are) with each
 * criterion beside the same unit's figure in the evaluation of the period before.
 */
export function rankingTable(current: EvaluationResult, previous: EvaluationResult): RankingRow[] {
  const before = new Map(previous.rows.map((r) => [r.id, r.figures]));
  return current.rows.map((r) => {
    const was = before.get(r.id);
    const figures = Object.fromEntries(CRITERIA.map((c) => [c, change(r.figures[c], was?.[c] ?? 0)])) as Record<
      Criterion,
      Change
    >;
    return { rank: r.rank, previousRank: r.previousRank, id: r.id, name: r.name, score: r.score, figures };
  });
}

/** Each criterion summed over the units, this period and the one before. */
export function criteriaTotals(current: EvaluationResult, previous: EvaluationResult): Record<Criterion, Change> {
  const sum = (result: EvaluationResult, c: Criterion) => round1(result.rows.reduce((s, r) => s + r.figures[c], 0));
  return Object.fromEntries(CRITERIA.map((c) => [c, change(sum(current, c), sum(previous, c))])) as Record<
    Criterion,
    Change
  >;
}

/** A brand's line in the report: the wall's brands ranking row for the period. */
export type BrandLine = BrandRow;
export interface PracticeReach {
  /** All articles' reads and shares in the period, and those of practice reports (an article reporting an activity). */
  reads: number;
  shares: number;
  practiceReads: number;
  practiceShares: number;
  practiceArticles: number;
  top: { id: string; title: string; reads: number; shares: number }[];
}
export interface AppealsClosure {
  received: number;
  /** Of those received in the period, closed by its end. */
  closed: number;
  rate: number | null;
  target: number;
  byCategory: { category: string; received: number; closed: number; rate: number | null }[];
}

/** Everything a report prints, stored beside its PDF (the figures' JSON). */
export interface ReportData {
  county: string;
  scope: string;
  scopeName: string;
  period: EvaluationPeriod;
  start: string;
  /** The last day (YYYY-MM-DD). */
  end: string;
  previousStart: string;
  weightsVersion: number;
  weights: Weights;
  totals: Record<Criterion, Change>;
  /** 所 ranked (the district's report); empty for a town's. */
  institutes: RankingRow[];
  stations: RankingRow[];
  brands: BrandLine[];
  media: { current: PracticeReach; previous: PracticeReach };
  appeals: { current: AppealsClosure; previous: AppealsClosure };
}

/** Appeals by category as counted, with the totals and rates against the target. */
export function appealsClosure(
  rows: readonly { category: string; received: number; closed: number }[],
): AppealsClosure {
  const rate = (closed: number, received: number) => (received > 0 ? closed / received : null);
  const received = rows.reduce((s, r) => s + r.received, 0);
  const closed = rows.reduce((s, r) => s + r.closed, 0);
  return {
    received,
    closed,
    rate: rate(closed, received),
    target: APPEAL_CLOSURE_TARGET,
    byCategory: rows.map((r) => ({
      category: r.category,
      received: r.received,
      closed: r.closed,
      rate: rate(r.closed, r.received),
    })),
  };
}

/** The period's last day, for the title (the day before the next period starts). */
export const lastDay = (r: PeriodRange): string =>
  new Date(r.endMs + UTC_OFFSET_MS - 86_400_000).toISOString().slice(0, 10);

export type { Figures };
