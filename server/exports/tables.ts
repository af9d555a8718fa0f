/**
 * What each exportable query's answer looks like as a sheet: its default title, the period its
 * header states, and its tables — figures straight from the query's answer (masked there, as
 * every result that leaves the server is), words from words.ts.
 */
import type { ExportQuery } from '../../shared/export-file.js';
import { CRITERIA, periodBounds, type EvaluationPeriod } from '../../shared/evaluation.js';
import type { QueryParams, QueryResults } from '../../shared/queries/index.js';
import { COMPARE_METRICS } from '../../shared/queries/kpi-compare.js';
import { WINDOW_MS, type TimeWindow } from '../../shared/queries/window.js';
import { countyTime, type Column, type ColumnKind, type Table } from './sheet.js';
import type { SheetWords } from './words.js';

export interface TableContext {
  words: SheetWords;
  nodeName: (id: string) => string;
  /** When the answer was read, epoch ms: its window ends here. */
  asOf: number;
}

interface ExportDefinition<Q extends ExportQuery> {
  title: (params: QueryParams<Q>, w: SheetWords) => string;
  period: (params: QueryParams<Q>, ctx: TableContext) => string;
  extra?: (result: QueryResults[Q], w: SheetWords) => [string, string][];
  tables: (result: QueryResults[Q], ctx: TableContext) => Table[];
}

const col = (title: string, kind: ColumnKind = 'number'): Column => ({ title, kind });
const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** `近24小时（2026-12-06 10:45 至 2026-12-07 10:45）` */
function windowText(window: TimeWindow, { words: w, asOf }: TableContext): string {
  const h = w.header;
  return `${w.windows[window]}${h.open}${countyTime(asOf - WINDOW_MS[window])} ${h.to} ${countyTime(asOf)}${h.close}`;
}

/** `本月（2026-12-01 至 2026-12-07）`: from the period's first day to the day the data was read. */
function periodText(period: EvaluationPeriod, { words: w, asOf }: TableContext): string {
  const h = w.header;
  return `${w.periods[period]}${h.open}${periodBounds(period, asOf).start} ${h.to} ${countyTime(asOf).slice(0, 10)}${h.close}`;
}

const DEFINITIONS: { [Q in ExportQuery]: ExportDefinition<Q> } = {
  evaluation: {
    title: (p, w) => `${w.evaluations[p.period]} · ${w.levels[p.level]}`,
    period: (p, ctx) => periodText(p.period, ctx),
    extra: (r, w) => [[w.header.weights, CRITERIA.map((c) => `${w.criteria[c]} ${r.weights[c]}`).join('，')]],
    tables: (r, { words: w }) => [
      {
        name: w.tables.ranking,
        columns: [
          col(w.columns.rank),
          col(w.columns.id, 'text'),
          col(w.columns.name, 'text'),
          col(w.columns.score),
          ...CRITERIA.map((c) => col(w.criteria[c])),
          col(w.columns.previousRank),
          col(w.columns.movement),
        ],
        rows: r.rows.map((u) => [
          u.rank,
          u.id,
          u.name,
          u.score,
          ...CRITERIA.map((c) => u.figures[c]),
          u.previousRank,
          u.previousRank === null ? null : u.previousRank - u.rank,
        ]),
      },
    ],
  },
  'brands.ranking': {
    title: (_p, w) => w.titles['brands.ranking'],
    period: (p, ctx) => periodText(p.period, ctx),
    tables: (r, { words: w }) => [
      {
        name: w.tables.brands,
        columns: [
          col(w.columns.id, 'text'),
          col(w.columns.brand, 'text'),
          col(w.columns.articles),
          col(w.columns.activities),
          col(w.columns.participants),
          col(w.columns.reads),
          col(w.columns.shares),
        ],
        rows: r.map((b) => [b.id, b.name, b.articles, b.activities, b.participants, b.reads, b.shares]),
      },
    ],
  },
  'orders.closure': {
    title: (_p, w) => w.titles['orders.closure'],
    period: (p, ctx) => windowText(p.window, ctx),
    tables: (r, { words: w }) => [
      {
        name: w.titles['orders.closure'],
        columns: [
          col(w.columns.id, 'text'),
          col(w.columns.unit, 'text'),
          col(w.columns.requested),
          col(w.columns.done),
          col(w.columns.rate, 'percent'),
        ],
        rows: r.map((u) => [u.id, u.name, u.requested, u.done, share(u.done, u.requested)]),
      },
    ],
  },
  'appeals.categories': {
    title: (_p, w) => w.titles['appeals.categories'],
    period: (p, ctx) => windowText(p.window, ctx),
    tables: (r, { words: w }) => [
      {
        name: w.titles['appeals.categories'],
        columns: [
          col(w.columns.category, 'text'),
          col(w.columns.received),
          col(w.columns.closed),
          col(w.columns.overdue),
          col(w.columns.rate, 'percent'),
        ],
        rows: r.map((c) => [w.categories[c.category], c.received, c.closed, c.overdue, share(c.closed, c.received)]),
      },
    ],
  },
  'dispatch.summary': {
    title: (_p, w) => w.titles['dispatch.summary'],
    period: (p, ctx) => windowText(p.window, ctx),
    tables: (r, { words: w }) => [
      {
        name: w.titles['dispatch.summary'],
        columns: [col(w.columns.state, 'text'), col(w.columns.orders)],
        rows: r.map((s) => [(w.states as Partial<Record<string, string>>)[s.state] ?? s.state, s.orders]),
      },
    ],
  },
  'media.propagation': {
    title: (_p, w) => w.titles['media.propagation'],
    period: (p, ctx) => windowText(p.window, ctx),
    tables: (r, { words: w }) => [
      {
        name: w.tables.totals,
        columns: [col(w.columns.metric, 'text'), col(w.columns.value)],
        rows: [
          [w.totals.reads, r.reads],
          [w.totals.shares, r.shares],
          [w.totals.activityReads, r.activityReads],
        ],
      },
      {
        name: w.tables.brands,
        columns: [col(w.columns.id, 'text'), col(w.columns.brand, 'text'), col(w.columns.reads), col(w.columns.shares)],
        rows: r.brands.map((b) => [b.id, b.name, b.reads, b.shares]),
      },
      {
        name: w.tables.articles,
        columns: [col(w.columns.id, 'text'), col(w.columns.title, 'text'), col(w.columns.reads), col(w.columns.shares)],
        rows: r.articles.map((a) => [a.id, a.title, a.reads, a.shares]),
      },
      {
        name: w.tables.activities,
        columns: [
          col(w.columns.id, 'text'),
          col(w.columns.title, 'text'),
          col(w.columns.articles),
          col(w.columns.reads),
        ],
        rows: r.activities.map((a) => [a.id, a.title, a.articles, a.reads]),
      },
    ],
  },
  'kpi.compare': {
    title: (_p, w) => w.titles['kpi.compare'],
    period: (_p, { words }) => words.today,
    tables: (r, { words: w }) => [
      {
        name: w.titles['kpi.compare'],
        columns: [col(w.columns.metric, 'text'), col(w.columns.today), col(w.columns.yesterday), col(w.columns.change)],
        rows: COMPARE_METRICS.map((m) => [w.metrics[m], r.today[m], r.yesterday[m], r.today[m] - r.yesterday[m]]),
      },
    ],
  },
  trend: {
    title: (p, w) => `${w.titles.trend} · ${w.metrics[p.metric]}`,
    period: (p, ctx) => windowText(p.window, ctx),
    tables: (r, { words: w, nodeName }) => [
      {
        name: w.tables.series,
        columns: [col(w.columns.time, 'time'), col(w.columns.value)],
        rows: r.points.map((p) => [p.t, p.v]),
      },
      {
        name: w.tables.marks,
        columns: [
          col(w.columns.published, 'time'),
          col(w.columns.title, 'text'),
          col(w.columns.node, 'text'),
          col(w.columns.reads),
        ],
        rows: r.marks.map((m) => [m.t, m.title, nodeName(m.nodeId), m.reads]),
      },
    ],
  },
  'nodes.status': {
    title: (_p, w) => w.titles['nodes.status'],
    period: (p, ctx) => windowText(p.window, ctx),
    tables: (r, { words: w, nodeName }) => [
      {
        name: w.titles['nodes.status'],
        columns: [
          col(w.columns.id, 'text'),
          col(w.columns.node, 'text'),
          col(w.columns.active),
          col(w.columns.checkins),
          col(w.columns.openOrders),
          col(w.columns.openAppeals),
          col(w.columns.overdue),
        ],
        rows: r.map((n) => [n.id, nodeName(n.id), n.active, n.checkins, n.openOrders, n.openAppeals, n.overdue]),
      },
    ],
  },
};

/** The sheet's parts for one query's answer. */
export function describeExport<Q extends ExportQuery>(
  query: Q,
  params: QueryParams<Q>,
  result: QueryResults[Q],
  ctx: TableContext,
): { title: string; period: string; extra: [string, string][]; tables: Table[] } {
  const d = DEFINITIONS[query] as ExportDefinition<Q>;
  return {
    title: d.title(params, ctx.words),
    period: d.period(params, ctx),
    extra: d.extra?.(result, ctx.words) ?? [],
    tables: d.tables(result, ctx),
  };
}
