/**
 * Wall panel queries over a large store (default: the 100-million-event seed in BENCH_DATA_DIR,
 * made by `DATA_DIR=/tmp/bench100m npm run db:seed -- --events 100000000`): p50/p95 of each named
 * query, beside the same figure computed from the raw events table without the materialized view.
 */
import { queryCheckinTrend, queryKpi, queryRecentEvents } from '../server/store/kpi-repository.js';
import { openStore } from '../server/store/index.js';
import type { Transport } from '../server/store/transport.js';
import { percentile, round, type BenchRow } from './lib.js';

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

export async function benchQueries(): Promise<BenchRow[]> {
  const store = await openStore({ dataDir: DIR });
  try {
    const [count] = await store.query<{ n: number }>('SELECT count() AS n FROM events');
    const size = `${round((count?.n ?? 0) / 1e6, 1)} M events`;
    const now = Date.now();
    const kpi = await timed(() => queryKpi(store, now));
    const kpiRaw = await timed(() => rawKpi(store, now));
    const trend = await timed(() => queryCheckinTrend(store, now, 60));
    const trendRaw = await timed(() => rawTrend(store, now));
    const feed = await timed(() => queryRecentEvents(store, 30));
    const row = (metric: string, value: number, baseline?: number): BenchRow => ({
      bench: 'queries',
      metric: `${metric} (${size})`,
      value,
      unit: 'ms',
      goal: metric.includes('p95') ? '≤ 50 ms' : '',
      ...(baseline === undefined ? {} : { baseline }),
    });
    return [
      row('KPI tiles p50', kpi.p50, kpiRaw.p50),
      row('KPI tiles p95', kpi.p95, kpiRaw.p95),
      row('check-in trend p50', trend.p50, trendRaw.p50),
      row('check-in trend p95', trend.p95, trendRaw.p95),
      row('live feed p50', feed.p50),
      row('live feed p95', feed.p95),
    ];
  } finally {
    await store.close();
  }
}
