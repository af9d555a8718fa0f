/**
 * 回放 at 120×: how long one replay refresh of the command-center wall takes — its core frame (KPI,
 * trend, feed) and every panel it and its map ask for, read from the store cut at the replayed
 * minute (server/replay/reader.ts) — a read a second, the clock two minutes further each time,
 * through yesterday's daytime. Beside it, in the same run and interleaved with it, the live refresh
 * of the same wall: the same statements at now on the uncut store, as the hub evaluates them.
 *
 * The store: BENCH_DATA_DIR (e.g. the 100-million-event seed the `queries` bench uses, made by
 * `DATA_DIR=/tmp/bench100m npm run db:seed -- --events 100000000`), or else a year of the default
 * seed made here in a temporary directory.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_EVALUATION } from '../shared/evaluation.js';
import { FEED_LENGTH, TREND_MINUTES } from '../shared/live.js';
import { UTC_OFFSET_MS } from '../shared/time-zone.js';
import { loadDashboards } from '../server/dashboards/loader.js';
import type { QueryContext } from '../server/queries/definition.js';
import { QUERIES } from '../server/queries/index.js';
import { ReplayReader, type ReplayPanel } from '../server/replay/reader.js';
import { WeightsService } from '../server/reports/weights.js';
import { openStore } from '../server/store/index.js';
import { queryCheckinTrend, queryKpi, queryRecentEvents } from '../server/store/kpi-repository.js';
import type { Transport } from '../server/store/transport.js';
import { percentile, round, seedYear, type BenchRow } from './lib.js';
import { IMPLICIT_QUERIES } from './queries.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const READS = Number(process.env['BENCH_RUNS'] ?? 60);
const SPEED = 120;
const DAY = 86_400_000;

/** The command-center wall's panels and what its map and tiles ask for besides. */
function wallPanels(): ReplayPanel[] {
  const board = loadDashboards(join(ROOT, 'dashboards/')).dashboards.get('command-center');
  const asked = (board?.panels ?? []).flatMap((p) =>
    'query' in p ? [{ query: p.query.name, params: p.query.params }] : [],
  );
  const all = [...asked, ...IMPLICIT_QUERIES.map((q) => ({ query: q.name, params: q.params }))];
  return all.map((p, i) => ({ id: String(i), ...p, scope: 'district', nodes: null }));
}

const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)) };
};

export async function benchReplay(): Promise<BenchRow[]> {
  const dir = process.env['BENCH_DATA_DIR'] ?? seedYear('replay');
  const store: Transport = await openStore({ dataDir: dir, clickhouseUrl: '' });
  try {
    const [size] = await store.query<{ n: number }>('SELECT count() AS n FROM events');
    const panels = wallPanels();
    // The store's weights versions, as the server reads them: live scores with the newest, a
    // replayed minute with the one then in force.
    const weights = new WeightsService(store, DEFAULT_EVALUATION);
    await weights.load();
    const config = weights.queryConfig;
    const reader = new ReplayReader(
      store,
      (at) => weights.at(at),
      (id) => id,
    );
    const live = async () => {
      const now = Date.now();
      const ctx: QueryContext = { store, now, config };
      await Promise.all([
        queryKpi(store, now),
        queryCheckinTrend(store, now, TREND_MINUTES),
        queryRecentEvents(store, FEED_LENGTH, null, now),
        ...panels.map((p) =>
          (QUERIES[p.query].run as (c: QueryContext, q: unknown, s: null) => Promise<unknown>)(ctx, p.params, null),
        ),
      ]);
    };
    // Yesterday from 08:00 on the county's clock: 60 reads at 120× are two replayed hours.
    const from = Math.floor((Date.now() + UTC_OFFSET_MS) / DAY) * DAY - UTC_OFFSET_MS - DAY + 8 * 3_600_000;
    const samples = { live: [] as number[], replay: [] as number[] };
    await live(); // warm, as a wall that has been up a minute
    for (let i = 0; i < READS; i += 1) {
      const second = performance.now();
      let started = performance.now();
      const frame = await reader.read(from + i * SPEED * 1000, 'district', null, panels);
      samples.replay.push(performance.now() - started);
      if (frame.panels.some((p) => p.error))
        throw new Error(`a replayed panel failed: ${JSON.stringify(frame.panels)}`);
      started = performance.now();
      await live();
      samples.live.push(performance.now() - started);
      // The wall reads once a second; a slower read is followed at once.
      const left = 1000 - (performance.now() - second);
      if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
    }
    const replay = stats(samples.replay);
    const baseline = stats(samples.live);
    const where = `${(size?.n ?? 0).toLocaleString('en')} events, ${panels.length} panels + core frame, ${READS} reads`;
    return [
      {
        bench: 'replay',
        metric: `replay refresh at ${SPEED}×, p95 (${where})`,
        value: replay.p95,
        unit: 'ms',
        baseline: baseline.p95,
      },
      {
        bench: 'replay',
        metric: `replay refresh at ${SPEED}×, p50`,
        value: replay.p50,
        unit: 'ms',
        baseline: baseline.p50,
      },
    ];
  } finally {
    await store.close();
  }
}
