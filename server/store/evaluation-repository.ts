/**
 * 一月一评估: per-unit figures of this period and the one before, scored with the configured
 * weights (shared/evaluation.ts). Every period starts on the first of a month, so sums come from the
 * per-month view and distinct activities from per-month uniqExact states merged across the period
 * (migration 007): a year's period reads a few thousand rows.
 */
import {
  CRITERIA,
  periodBounds,
  scoreUnits,
  type EvaluationConfig,
  type Figures,
  type UnitFigures,
} from '../../shared/evaluation.js';
import type { EvaluationParams, EvaluationResult, EvaluationRow } from '../../shared/queries/evaluation.js';
import { IN_SCOPE, scopeParams, type ScopeNodes } from './scope-sql.js';
import type { Transport } from './transport.js';

interface SumRow extends Omit<Figures, 'activities'> {
  unit: string;
  current: number;
}

/** A station's figures include its points' (点 sit under a 站); an institute's come with every row. */
const stationOf = `(SELECT id, if(level = 'station', id, ifNull(parent_id, '')) AS station FROM nodes FINAL
                    WHERE level IN ('station', 'point'))`;

export async function queryEvaluation(
  t: Transport,
  nowMs: number,
  params: EvaluationParams,
  scope: ScopeNodes,
  /** The weights in force (EVALUATION_FILE or the defaults, read once at start by server/config.ts). */
  config: EvaluationConfig,
): Promise<EvaluationResult> {
  const { start, previous } = periodBounds(params.period, nowMs);
  const station = params.level === 'station';
  // Rows are grouped by unit and by "in the current period" (1) or the one before (0).
  const join = station ? `INNER JOIN ${stationOf} AS s ON s.id = e.node_id` : '';
  const unit = station ? 's.station' : 'e.institute_id';
  const bound = { start, previous, level: params.level, ...scopeParams(scope) };
  const [units, sums, activities] = await Promise.all([
    t.query<{ id: string; name: string }>(
      `SELECT id, name FROM nodes FINAL WHERE level = {level:String}
         AND ({all:UInt8} = 1 OR id IN {nodes:Array(String)}) ORDER BY id`,
      bound,
    ),
    t.query<SumRow>(
      `SELECT ${unit} AS unit, toUInt8(e.month >= toDate({start:String})) AS current,
              toFloat64(sumIf(e.events, e.type = 'checkin')) AS participants,
              sumIf(e.value, e.type = 'checkout') AS serviceHours,
              toFloat64(sumIf(e.events, e.type = 'order.transition' AND e.tag = 'completed')) AS ordersCompleted,
              toFloat64(sumIf(e.events, e.type = 'appeal.closed')) AS appealsClosed,
              sumIf(e.value, e.type = 'media.read') AS mediaReads
       FROM events_month AS e ${join}
       WHERE e.type IN ('checkin', 'checkout', 'order.transition', 'appeal.closed', 'media.read')
         AND e.month >= toDate({previous:String}) AND ${IN_SCOPE.replaceAll('node_id', 'e.node_id')}
       GROUP BY unit, current`,
      bound,
    ),
    t.query<{ unit: string; current: number; activities: number }>(
      `SELECT ${unit} AS unit, toUInt8(e.month >= toDate({start:String})) AS current,
              toFloat64(uniqExactMerge(e.activities)) AS activities
       FROM activity_month AS e ${join}
       WHERE e.month >= toDate({previous:String})
         AND ${IN_SCOPE.replaceAll('node_id', 'e.node_id')}
       GROUP BY unit, current`,
      bound,
    ),
  ]);
  const sumsBy = new Map(sums.map((r) => [`${r.unit}/${r.current}`, r]));
  const activitiesBy = new Map(activities.map((r) => [`${r.unit}/${r.current}`, r]));
  const figures = (current: number): UnitFigures[] =>
    units.map((u) => {
      const sum = sumsBy.get(`${u.id}/${current}`);
      const acts = activitiesBy.get(`${u.id}/${current}`);
      const f = Object.fromEntries(CRITERIA.map((c) => [c, 0])) as Figures;
      if (sum) for (const c of CRITERIA) if (c !== 'activities') f[c] = Math.round(sum[c] * 10) / 10;
      f.activities = acts?.activities ?? 0;
      return { id: u.id, name: u.name, figures: f };
    });
  const before = figures(0);
  const active = new Set(before.filter((u) => Object.values(u.figures).some((v) => v > 0)).map((u) => u.id));
  const previousRanks = new Map(
    scoreUnits(before, config)
      .filter((u) => active.has(u.id))
      .map((u) => [u.id, u.rank]),
  );
  const rows: EvaluationRow[] = scoreUnits(figures(1), config).map((u) => ({
    ...u,
    previousRank: previousRanks.get(u.id) ?? null,
  }));
  return { start, weights: config.weights, rows };
}
