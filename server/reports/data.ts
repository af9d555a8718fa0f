/**
 * A report's figures: the evaluation of the closed period and of the one before, read with the
 * evaluation query itself (store/evaluation-repository.ts) on the store cut at each period's end
 * (store/as-of.ts, as 回放 reads the past), so the report's tables are the evaluation's figures; the
 * top brands with the brands ranking's query; practice reports' reach and appeals' closure with
 * the media and appeals repositories from the period's first moment. Titles people typed are masked
 * as on the wall.
 */
import type { EvaluationConfig } from '../../shared/evaluation.js';
import type { WeightsVersion } from '../../shared/evaluation-weights.js';
import { maskText } from '../../shared/mask.js';
import type { EvaluationResult } from '../../shared/queries/evaluation.js';
import {
  appealsClosure,
  criteriaTotals,
  lastDay,
  periodRange,
  rankingTable,
  TOP_BRANDS,
  TOP_REPORTS,
  type PeriodRange,
  type PracticeReach,
  type ReportData,
} from '../../shared/report.js';
import { asOf } from '../store/as-of.js';
import { queryEvaluation } from '../store/evaluation-repository.js';
import { queryBrandRanking, queryPracticeReach } from '../store/media-repository.js';
import { queryAppealCategoriesSince } from '../store/panel-repository.js';
import type { ScopeNodes } from '../store/scope-sql.js';
import type { Transport } from '../store/transport.js';

export interface ReportScope {
  /** `district` or a 所's id. */
  id: string;
  name: string;
  /** The scope's nodes (null: the whole county). */
  nodes: ScopeNodes;
}

/** The evaluation of `range` exactly as the live query answers it at the period's last moment. */
export function evaluationOf(
  store: Transport,
  range: PeriodRange,
  level: 'institute' | 'station',
  nodes: ScopeNodes,
  config: EvaluationConfig,
): Promise<EvaluationResult> {
  return queryEvaluation(asOf(store, range.endMs), range.endMs - 1, { period: range.period, level }, nodes, config);
}

async function reachOf(store: Transport, range: PeriodRange, nodes: ScopeNodes): Promise<PracticeReach> {
  const reach = await queryPracticeReach(asOf(store, range.endMs), range.startMs, nodes, TOP_REPORTS);
  return { ...reach, top: reach.top.map((a) => ({ ...a, title: maskText(a.title) })) };
}

export async function reportData(
  store: Transport,
  county: string,
  range: PeriodRange,
  scope: ReportScope,
  weights: WeightsVersion,
): Promise<ReportData> {
  const before = periodRange(range.period, range.previous) as PeriodRange;
  const config = { weights: weights.weights };
  const district = scope.nodes === null;
  // One after another: a year's report is a few dozen reads, and the live wall shares the engine.
  const evaluate = async (level: 'institute' | 'station') =>
    [
      await evaluationOf(store, range, level, scope.nodes, config),
      await evaluationOf(store, before, level, scope.nodes, config),
    ] as const;
  const institutes: readonly [EvaluationResult, EvaluationResult] | null = district
    ? await evaluate('institute')
    : null;
  const [stations, stationsBefore] = await evaluate('station');
  const brands = await queryBrandRanking(
    asOf(store, range.endMs),
    range.endMs - 1,
    { period: range.period },
    scope.nodes,
  );
  const media = {
    current: await reachOf(store, range, scope.nodes),
    previous: await reachOf(store, before, scope.nodes),
  };
  const appeals = {
    current: appealsClosure(
      await queryAppealCategoriesSince(asOf(store, range.endMs), range.startMs, range.endMs, scope.nodes),
    ),
    previous: appealsClosure(
      await queryAppealCategoriesSince(asOf(store, before.endMs), before.startMs, before.endMs, scope.nodes),
    ),
  };
  // The scope's totals: every 站's (a 所's figures are its 站's and 点's and its own, so the
  // district's come from the 所 ranking, which counts the 所's own site too).
  const totals = institutes ? criteriaTotals(...institutes) : criteriaTotals(stations, stationsBefore);
  return {
    county,
    scope: scope.id,
    scopeName: scope.name,
    period: range.period,
    start: range.start,
    end: lastDay(range),
    previousStart: range.previous,
    weightsVersion: weights.version,
    weights: weights.weights,
    totals,
    institutes: institutes ? rankingTable(...institutes) : [],
    stations: rankingTable(stations, stationsBefore),
    brands: brands.slice(0, TOP_BRANDS),
    media,
    appeals,
  };
}
