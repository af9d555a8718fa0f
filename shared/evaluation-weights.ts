/**
 * The evaluation's criteria weights as versions (issue 17.5): an admin saves a new version, never
 * changes one in place (migration 012), and a report names the version it used. Pure: the body's
 * schema and check, and the preview of how a draft would move the ranking of 所 or 站.
 *
 * Weights are whole percentages that must add up to 100, checked, not normalised: what the admin
 * types is then what the report prints as "活动 25 %", each a share of the score; normalising would
 * store figures that do not mean what they look like, and two versions in proportion (10/20 and
 * 20/40) would look different yet score alike. The scoring itself still divides by the sum
 * (shared/evaluation.ts), so version 0 — EVALUATION_FILE's relative weights — scores as before.
 */
import { Type, type Static } from 'typebox';
import type { RefusalCode } from './codes.js';
import { CRITERIA, scoreUnits, type Criterion, type EvaluationConfig, type UnitFigures } from './evaluation.js';

export const WEIGHTS_TOTAL = 100;

const Percent = Type.Integer({ minimum: 0, maximum: WEIGHTS_TOTAL });
export const WeightsSchema = Type.Object(
  Object.fromEntries(CRITERIA.map((c) => [c, Percent])) as Record<Criterion, typeof Percent>,
  { additionalProperties: false },
);
export type Weights = Record<Criterion, number>;

export const WeightsSaveBodySchema = Type.Object(
  {
    weights: WeightsSchema,
    /** The version the admin edited: a newer one saved meanwhile refuses this (WEIGHTS_STALE_VERSION). */
    basedOn: Type.Integer({ minimum: 0 }),
    /** Why, for the list of versions (会议决定 …). */
    note: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type WeightsSaveBody = Static<typeof WeightsSaveBodySchema>;

export const WeightsVersionSchema = Type.Object({
  /** 0: the configuration's weights (EVALUATION_FILE or the defaults), in force until a first save. */
  version: Type.Integer({ minimum: 0 }),
  weights: Type.Record(Type.String(), Type.Number()),
  /** Who saved it (a username); `config` for version 0. */
  author: Type.String(),
  /** Epoch ms; 0 for version 0. */
  createdAt: Type.Number(),
  note: Type.String(),
});
export interface WeightsVersion {
  version: number;
  weights: Weights;
  author: string;
  createdAt: number;
  note: string;
}

export const WeightsListSchema = Type.Object({
  current: WeightsVersionSchema,
  /** Newest first, version 0 last. */
  versions: Type.Array(WeightsVersionSchema),
});
export interface WeightsList {
  current: WeightsVersion;
  versions: WeightsVersion[];
}

export const WeightsError = {
  invalid: 'WEIGHTS_INVALID',
  stale: 'WEIGHTS_STALE_VERSION',
} as const satisfies Record<string, RefusalCode>;

/** What is wrong with a body's weights beyond the schema (the sum), or null. */
export function weightsProblem(weights: Weights): string | null {
  const sum = CRITERIA.reduce((s, c) => s + weights[c], 0);
  return sum === WEIGHTS_TOTAL ? null : `the weights add up to ${sum}, not ${WEIGHTS_TOTAL}`;
}

/** The weights in force: the newest saved version, else version 0 (the configuration's). */
export function currentVersion(saved: readonly WeightsVersion[], config: EvaluationConfig): WeightsVersion {
  const newest = saved.reduce<WeightsVersion | null>((a, v) => (a === null || v.version > a.version ? v : a), null);
  return newest ?? { version: 0, weights: { ...config.weights }, author: 'config', createdAt: 0, note: '' };
}

/**
 * The weights in force at moment `at` (epoch ms): the newest version saved by then, else version 0.
 * 回放 scores a past minute with these, not today's: the ranking a meeting saw then.
 */
export function versionAt(saved: readonly WeightsVersion[], config: EvaluationConfig, at: number): WeightsVersion {
  return currentVersion(
    saved.filter((v) => v.createdAt <= at),
    config,
  );
}

/** The number a new version takes after `saved`. */
export const nextVersion = (saved: readonly WeightsVersion[]): number =>
  saved.reduce((max, v) => Math.max(max, v.version), 0) + 1;

export interface PreviewRow {
  id: string;
  name: string;
  before: { score: number; rank: number };
  after: { score: number; rank: number };
  /** Places gained under the draft (positive: up the ranking). */
  moved: number;
}

/** The same units ranked under the weights in force and under a draft, in the draft's order. */
export function previewRanking(units: readonly UnitFigures[], current: Weights, draft: Weights): PreviewRow[] {
  const before = new Map(scoreUnits(units, { weights: current }).map((u) => [u.id, u]));
  return scoreUnits(units, { weights: draft }).map((u) => {
    const b = before.get(u.id);
    const was = { score: b?.score ?? 0, rank: b?.rank ?? u.rank };
    return { id: u.id, name: u.name, before: was, after: { score: u.score, rank: u.rank }, moved: was.rank - u.rank };
  });
}

/** The evaluation's answer (shared/queries/evaluation.ts EvaluationResult) as a route's response, for the preview. */
export const EvaluationFiguresSchema = Type.Object({
  start: Type.String(),
  weights: Type.Record(Type.String(), Type.Number()),
  rows: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      figures: Type.Record(Type.String(), Type.Number()),
      score: Type.Number(),
      rank: Type.Integer(),
      previousRank: Type.Union([Type.Integer(), Type.Null()]),
    }),
  ),
});
