/**
 * Panel queries: a wall panel names one of these queries, a scope and its parameters; the server
 * evaluates each distinct (query, scope, parameters) once per change of its source tables, however
 * many screens watch it, and pushes the result only when it changed. One map of parameter schemas
 * serves the server's validation and the client's types.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { AppealCategory } from './events.js';
import { PANEL_QUERY_PARAMS, type PanelQueryResults } from './panel-queries.js';

/** Time windows a panel can ask for; the bucket (minute, hour, day) follows from the window. */
export const TimeWindow = { h1: '1h', h6: '6h', h24: '24h', d7: '7d', d30: '30d' } as const;
export type TimeWindow = (typeof TimeWindow)[keyof typeof TimeWindow];
const WindowSchema = Type.Enum(Object.values(TimeWindow));

const HOUR = 3_600_000;
export const WINDOW_MS: Record<TimeWindow, number> = {
  '1h': HOUR,
  '6h': 6 * HOUR,
  '24h': 24 * HOUR,
  '7d': 7 * 24 * HOUR,
  '30d': 30 * 24 * HOUR,
};
export const BUCKET_MS: Record<TimeWindow, number> = {
  '1h': 60_000,
  '6h': 5 * 60_000,
  '24h': HOUR,
  '7d': HOUR,
  '30d': 24 * HOUR,
};

/** What a trend panel counts: events per bucket, or the summed value (service hours, reads). */
export const TrendMetric = {
  checkins: 'checkins',
  appeals: 'appeals',
  appealsClosed: 'appealsClosed',
  orders: 'orders',
  serviceHours: 'serviceHours',
  mediaReads: 'mediaReads',
} as const;
export type TrendMetric = (typeof TrendMetric)[keyof typeof TrendMetric];

/** Demand on the heat layer: citizens' appeals, open service orders, or both. */
export const HeatSource = { appeals: 'appeals', orders: 'orders', all: 'all' } as const;
export type HeatSource = (typeof HeatSource)[keyof typeof HeatSource];

/** Parameter schema of every named query (additionalProperties false: a typo is an error, not a default). */
export const QUERY_PARAMS = {
  trend: Type.Object(
    { metric: Type.Enum(Object.values(TrendMetric)), window: WindowSchema },
    { additionalProperties: false },
  ),
  'appeals.categories': Type.Object({ window: WindowSchema }, { additionalProperties: false }),
  heat: Type.Object(
    {
      window: Type.Enum([TimeWindow.h1, TimeWindow.h6, TimeWindow.h24]),
      source: Type.Enum(Object.values(HeatSource)),
      category: Type.Union([Type.Enum(Object.values(AppealCategory)), Type.Literal('all')]),
    },
    { additionalProperties: false },
  ),
  /** Live figures of every node in scope (the map's colours, its popups); `window` bounds check-ins. */
  'nodes.status': Type.Object(
    { window: Type.Enum([TimeWindow.h1, TimeWindow.h6, TimeWindow.h24]) },
    { additionalProperties: false },
  ),
  /** "500米文明实践圈": sampled residents within `radiusM` of a practice site, and the uncovered cells. */
  coverage: Type.Object(
    { radiusM: Type.Integer({ minimum: 100, maximum: 2000, multipleOf: 100 }) },
    { additionalProperties: false },
  ),
  /** Orders moved in the window, by the state their latest transition left them in (点单 → … → 完成). */
  'dispatch.summary': Type.Object(
    { window: Type.Enum([TimeWindow.h24, TimeWindow.d7, TimeWindow.d30]) },
    { additionalProperties: false },
  ),
  ...PANEL_QUERY_PARAMS,
} satisfies Record<string, TSchema>;
export type QueryName = keyof typeof QUERY_PARAMS;
export type QueryParams<Q extends QueryName> = Static<(typeof QUERY_PARAMS)[Q]>;
export const QUERY_NAMES = Object.keys(QUERY_PARAMS) as QueryName[];

export interface SeriesPoint {
  /** Bucket start, epoch ms. */
  t: number;
  v: number;
}
/**
 * A trend's annotation: a report the convergence-media center published inside the window (两中心融合),
 * so a rise in check-ins or reads sits beside what was published; the most-read first.
 */
export interface TrendMark {
  /** Published, epoch ms. */
  t: number;
  title: string;
  nodeId: string;
  /** Reads since the start of the window's first hour. */
  reads: number;
}
export interface CategoryCount {
  category: AppealCategory;
  received: number;
  closed: number;
  /** Received in the window, still open, and older than the category's limit (APPEAL_DUE_MS). */
  overdue: number;
}
/** One weighted point of demand: an appeal where it was made, or an open order at its venue. */
export interface HeatPoint {
  lat: number;
  lon: number;
  weight: number;
}

/** A node's live figures; nodes with nothing going on are left out of the answer. */
export interface NodeStatus {
  id: string;
  /** Volunteers checked in and not yet out (today). */
  active: number;
  /** Check-ins within the window. */
  checkins: number;
  /** Orders requested here and not yet closed. */
  openOrders: number;
  /** Appeals made here (last 7 days) and not yet closed. */
  openAppeals: number;
  /** Of those, orders past their state's SLA and appeals open longer than their category's APPEAL_DUE_MS. */
  overdue: number;
}
/**
 * How long an appeal of each kind may stay open before it is overdue (网上群众路线's time limits): a
 * 咨询 is answered within a working day; a 投诉 needs looking into, three days; a 建议 goes to the
 * unit concerned and is answered within five. The articles give the closure rate, not the limits:
 * these are the common ones of government hotlines, one table so the wall, the map and the leader's
 * view count alike.
 */
export const APPEAL_DUE_MS: Readonly<Record<AppealCategory, number>> = {
  consult: 24 * HOUR,
  complaint: 3 * 24 * HOUR,
  suggestion: 5 * 24 * HOUR,
};

/** The limits as bound query parameters: categories and their limits in the same order. */
export function appealDueParams(): { dueCategories: string[]; dueMs: number[] } {
  const entries = Object.entries(APPEAL_DUE_MS);
  return { dueCategories: entries.map(([c]) => c), dueMs: entries.map(([, ms]) => ms) };
}

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

/** How many orders are in one state. */
export interface StateCount {
  state: string;
  orders: number;
}

/** The result type of every named query. */
export interface QueryResults extends PanelQueryResults {
  trend: { bucketMs: number; points: SeriesPoint[]; marks: TrendMark[] };
  'appeals.categories': CategoryCount[];
  heat: HeatPoint[];
  'nodes.status': NodeStatus[];
  coverage: CoverageResult;
  'dispatch.summary': StateCount[];
}

export const QuerySubscribeSchema = Type.Object(
  {
    query: Type.Enum(QUERY_NAMES),
    /** A town or station id; absent = the screen's own scope. */
    scope: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    params: Type.Unknown(),
  },
  { additionalProperties: false },
);
export type QuerySubscribe = Static<typeof QuerySubscribeSchema>;

/**
 * A query's latest result. `data` is absent when a re-evaluation found nothing changed: the update
 * then only moves `asOf`, which is what each tile's freshness shows.
 */
export interface QueryUpdate<Q extends QueryName = QueryName> {
  key: string;
  query: Q;
  asOf: number;
  data?: QueryResults[Q];
}
