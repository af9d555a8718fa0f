/**
 * Wall panel queries over a large store (default: the 100-million-event seed in BENCH_DATA_DIR,
 * made by `DATA_DIR=/tmp/bench100m npm run db:seed -- --events 100000000`): p50/p95 of the KPI
 * tiles, trend and feed beside the same figures computed from the raw events table without the
 * materialized views; then every panel query the shipped dashboards and the map ask for, for the
 * district and for one town, the slowest p95 of each query name.
 *
 * Timed at the store's newest event, not the wall clock: the seed's events end when it ran, so a
 * bench run after the county's midnight would find "today" empty and time nothing; at the newest
 * event today holds a full seeded day. The queries run as a live server runs them: nodes.status and
 * the KPI's two distinct counts from the live figures (server/live/figures.ts), read from the store
 * once (that read is timed too); the SQL they replace is timed beside them as a baseline.
 */
import { fileURLToPath } from 'node:url';
import type { QueryName } from '../shared/queries/index.js';
import { loadDashboards } from '../server/dashboards/loader.js';
import { QUERIES } from '../server/queries/index.js';
import type { QueryContext } from '../server/queries/definition.js';
import { DEFAULT_EVALUATION } from '../shared/evaluation.js';
import { LiveFigures } from '../server/live/figures.js';
import { queryCheckinTrend, queryKpi, queryRecentEvents } from '../server/store/kpi-repository.js';
import { readLiveFigures } from '../server/store/live-figures-repository.js';
import { queryNodeStatus } from '../server/store/map-repository.js';
import { openStore } from '../server/store/index.js';
import type { ScopeNodes } from '../server/store/scope-sql.js';
import type { Transport } from '../server/store/transport.js';
import { percentile, round, type BenchRow } from './lib.js';

const DASHBOARDS = fileURLToPath(new URL('../dashboards/', import.meta.url));
/**
 * Queries panels ask for without naming them in the dashboard file: the KPI tiles' day-over-day
 * (client/panels/kpi/KpiPanel.vue), the gauge's categories (panels/gauge/GaugePanel.vue), and the map's layers
 * (client/map/WallMap.vue with client/map/mapLayers.ts defaults).
 */
export const IMPLICIT_QUERIES: { name: QueryName; params: unknown }[] = [
  { name: 'kpi.compare', params: {} },
  { name: 'appeals.categories', params: { window: '30d' } },
  { name: 'nodes.status', params: { window: '24h' } },
  { name: 'heat', params: { window: '24h', source: 'all', category: 'all' } },
  { name: 'coverage', params: { radiusM: 500 } },
];

const DIR = process.env['BENCH_DATA_DIR'] ?? '/tmp/bench100m';
const RUNS = Number(process.env['BENCH_RUNS'] ?? 40);

async function timed(run: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await run(); // warm caches once, as a wall that has been up for a minute has
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: round(percentile(samples, 50)), p95: round(percentile(samples, 95)) };
}

/** The KPI sums the way a polling dashboard computes them: a scan of the raw events. */
const rawKpi = (t: Transport, now: number) =>
  t.query(
    `WITH toDate(fromUnixTimestamp64Milli({now:Int64}), 'Asia/Shanghai') AS today
     SELECT countIf(type = 'checkin' AND toDate(ts) = today) AS checkins_today,
            countIf(type = 'appeal.received') AS appeals_received,
            countIf(type = 'appeal.closed') AS appeals_closed,
            sumIf(value, type = 'media.read' AND toDate(ts) = today) AS reads_today
     FROM events`,
    { now },
  );

const rawTrend = (t: Transport, now: number) =>
  t.query(
    `SELECT toStartOfMinute(ts) AS m, count() AS n FROM events
     WHERE type = 'checkin' AND ts > fromUnixTimestamp64Milli({now:Int64}) - INTERVAL 60 MINUTE GROUP BY m`,
    { now },
  );

/** Every distinct (query, params) a shipped screen can ask for: panels, their window and period switches, the map. */
export function panelQueries(): { name: QueryName; params: unknown }[] {
  const asked = new Map<string, { name: QueryName; params: unknown }>();
  const add = (name: QueryName, params: unknown) => asked.set(`${name} ${JSON.stringify(params)}`, { name, params });
  for (const dashboard of loadDashboards(DASHBOARDS).dashboards.values()) {
    for (const panel of dashboard.panels) {
      if (!('query' in panel)) continue;
      const { name, params } = panel.query;
      add(name, params);
      // A panel's window or period switch asks the same query with each of its values.
      if (panel.type === 'trend') for (const window of panel.options?.windows ?? []) add(name, { ...params, window });
      if (panel.type === 'ranking') for (const period of panel.options?.periods ?? []) add(name, { ...params, period });
    }
  }
  for (const q of IMPLICIT_QUERIES) add(q.name, q.params);
  return [...asked.values()];
}

interface Slowest {
  p50: number;
  p95: number;
  runs: number;
  /** The parameter set and scope of the slowest p95, so a miss names what to work on. */
  at: string;
}

/** The slowest p50/p95 of each query name over its parameter sets and both scopes. */
async function townNodes(store: Transport): Promise<string[]> {
  const [town] = await store.query<{ id: string }>(
    "SELECT id FROM nodes FINAL WHERE level = 'institute' ORDER BY id LIMIT 1",
  );
  return (
    await store.query<{ id: string }>('SELECT id FROM nodes FINAL WHERE institute_id = {town:String}', {
      town: town?.id ?? '',
    })
  ).map((r) => r.id);
}

async function everyPanelQuery(store: Transport, now: number, figures: LiveFigures): Promise<Map<string, Slowest>> {
  const scopes: ScopeNodes[] = [null, await townNodes(store)];
  const worst = new Map<string, Slowest>();
  for (const { name, params } of panelQueries()) {
    // The registry's run is typed per name; a dashboard's params were validated against it at load.
    const run = QUERIES[name].run as (ctx: QueryContext, p: unknown, s: ScopeNodes) => Promise<unknown>;
    // The weights change the scores, not the work: the defaults time the same statements.
    const ctx = { store, now, config: { evaluation: DEFAULT_EVALUATION }, figures };
    for (const scope of scopes) {
      const t = await timed(() => run(ctx, params, scope));
      const before = worst.get(name);
      const slower = !before || t.p95 > before.p95;
      worst.set(name, {
        p50: Math.max(before?.p50 ?? 0, t.p50),
        p95: Math.max(before?.p95 ?? 0, t.p95),
        runs: (before?.runs ?? 0) + 1,
        at: slower ? `${JSON.stringify(params)} ${scope ? 'town' : 'district'}` : before.at,
      });
    }
  }
  return worst;
}

/**
 * A freshly seeded store merges its parts for minutes once opened; timing during that measures the
 * merges. Waits until none is running (at most 15 minutes), as on a server that has been up a while.
 */
async function settled(store: Transport): Promise<void> {
  const started = Date.now();
  for (;;) {
    const [running] = await store.query<{ n: number }>('SELECT count() AS n FROM system.merges');
    if ((running?.n ?? 0) === 0 || Date.now() - started > 15 * 60_000) break;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  const [parts] = await store.query<{ n: number }>(
    "SELECT count() AS n FROM system.parts WHERE active AND table = 'events'",
  );
  console.log(`store settled after ${round((Date.now() - started) / 1000)} s; events in ${parts?.n ?? 0} parts`);
}

export async function benchQueries(): Promise<BenchRow[]> {
  const store = await openStore({ dataDir: DIR });
  try {
    await settled(store);
    const [count] = await store.query<{ n: number }>('SELECT count() AS n FROM events');
    const size = `${round((count?.n ?? 0) / 1e6, 1)} M events`;
    const [newest] = await store.query<{ t: number }>(
      'SELECT toInt64(toUnixTimestamp64Milli(max(ts))) AS t FROM events',
    );
    const now = newest?.t ?? Date.now();
    console.log(`timed at the newest event, ${new Date(now).toISOString()}`);
    const figures = new LiveFigures();
    const loadStarted = performance.now();
    figures.load(await readLiveFigures(store, now));
    const loadMs = round(performance.now() - loadStarted);
    const todayCounts = (at: number, scope: ScopeNodes) => figures.today(at, scope);
    const kpi = await timed(() => queryKpi(store, now, null, todayCounts));
    const kpiSql = await timed(() => queryKpi(store, now));
    const town = await townNodes(store);
    const statusSql = await timed(() => queryNodeStatus(store, now, { window: '24h' }, town));
    const kpiRaw = await timed(() => rawKpi(store, now));
    const trend = await timed(() => queryCheckinTrend(store, now, 60));
    const trendRaw = await timed(() => rawTrend(store, now));
    const feed = await timed(() => queryRecentEvents(store, 30, null, now));
    const panels = await everyPanelQuery(store, now, figures);
    const row = (metric: string, value: number, baseline?: number): BenchRow => ({
      bench: 'queries',
      metric: `${metric} (${size})`,
      value,
      unit: 'ms',
      goal: metric.includes('p95') && !metric.includes('(a replay') ? '≤ 20 ms' : '',
      ...(baseline === undefined ? {} : { baseline }),
    });
    return [
      row('KPI tiles p50', kpi.p50, kpiRaw.p50),
      row('KPI tiles p95', kpi.p95, kpiRaw.p95),
      row('KPI tiles with its two distinct counts in SQL (a replay) p95', kpiSql.p95),
      row('nodes.status in SQL (a replay; town, 24 h) p95', statusSql.p95),
      row('live figures: the one read at start', loadMs),
      row('check-in trend p50', trend.p50, trendRaw.p50),
      row('check-in trend p95', trend.p95, trendRaw.p95),
      row('live feed p50', feed.p50),
      row('live feed p95', feed.p95),
      ...[...panels].flatMap(([name, t]) => [
        row(`${name} p50 (slowest of ${t.runs} parameter sets × scopes)`, t.p50),
        row(`${name} p95 (slowest of ${t.runs} parameter sets × scopes: ${t.at})`, t.p95),
      ]),
    ];
  } finally {
    await store.close();
  }
}
