/**
 * Soak (not a test): SOAK_MINUTES (default 30) at 5,000 events/s with 500 walls, the walls in
 * SOAK_PROCESSES (default 4) processes of their own so they do not starve the load. Reports the
 * server's RSS and heap at the start and the end, events lost (acknowledged but not stored, read
 * from ClickHouse after the server stops) and the push-latency p99 of the first and last five minutes.
 */
import { startServer, type RunningServer } from '../tests/helpers/server.js';
import { EmbeddedTransport } from '../server/store/embedded.js';
import { percentile, round, type BenchRow } from './lib.js';
import { now, runLoad } from './live-load.js';
import { startWallFleet } from './wall-fleet.js';

const MINUTES = Number(process.env['SOAK_MINUTES'] ?? 30);
const WALLS = Number(process.env['SOAK_WALLS'] ?? 500);
const PROCESSES = Number(process.env['SOAK_PROCESSES'] ?? 4);
const RATE = 5_000;

async function memory(server: RunningServer): Promise<{ rss: number; heap: number; lagMax: number }> {
  const text = await (
    await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${server.token}` } })
  ).text();
  const read = (name: string) =>
    Number(new RegExp(`^${name} (\\d+(?:\\.\\d+)?(?:e\\+\\d+)?)`, 'm').exec(text)?.[1] ?? Number.NaN);
  return {
    rss: read('wmsj_process_resident_memory_bytes') / 2 ** 20,
    heap: read('wmsj_nodejs_heap_size_used_bytes') / 2 ** 20,
    lagMax: read('wmsj_nodejs_eventloop_lag_max_seconds') * 1000,
  };
}

export async function benchSoak(): Promise<BenchRow[]> {
  const server = await startServer({ env: { BACKFILL_SCALE: '0.02', LOG_LEVEL: 'warn' } });
  const samples: { at: number; ms: number }[] = [];
  const fleet = await startWallFleet(server, WALLS, PROCESSES, (batch) => {
    for (const [at, ms] of batch) samples.push({ at, ms });
  });
  const started = now();
  const before = await memory(server);
  const startedMs = Date.now();
  const load = await runLoad(server, RATE, MINUTES * 60, new Map());
  const achieved = Math.round(load.accepted / ((now() - started) / 1000));
  const after = await memory(server);
  await fleet.close();
  expectExit(await server.stop());
  // Every event since the start is the soak's (the simulator is off, the history is older).
  const store = new EmbeddedTransport(`${server.dataDir}/clickhouse`);
  const [stored] = await store.query<{ n: number; ids: number }>(
    'SELECT count() AS n, uniqExact(id) AS ids FROM events FINAL WHERE ts >= fromUnixTimestamp64Milli({since:Int64})',
    { since: startedMs - 1_000 },
  );
  await store.close();
  const lost = load.accepted - (stored?.ids ?? 0);
  const window = Math.min(5, MINUTES / 3) * 60_000;
  const p99 = (from: number, to: number) =>
    round(
      percentile(
        samples
          .filter((s) => s.at >= from && s.at < to)
          .map((s) => s.ms)
          .sort((a, b) => a - b),
        99,
      ),
    );
  const end = started + MINUTES * 60_000;
  const label = `${MINUTES} min, ${RATE} events/s asked, ${achieved} achieved, ${WALLS} walls`;
  return [
    {
      bench: 'soak',
      metric: `RSS start → end (${label})`,
      value: round(after.rss),
      unit: 'MiB',
      baseline: round(before.rss),
    },
    {
      bench: 'soak',
      metric: 'heap used start → end',
      value: round(after.heap),
      unit: 'MiB',
      baseline: round(before.heap),
    },
    { bench: 'soak', metric: `events lost of ${load.accepted} acknowledged`, value: lost, unit: '', goal: '0' },
    { bench: 'soak', metric: 'events stored twice', value: (stored?.n ?? 0) - (stored?.ids ?? 0), unit: '', goal: '0' },
    { bench: 'soak', metric: 'load requests unanswered (not acknowledged)', value: load.failed, unit: '' },
    { bench: 'soak', metric: "server's longest event-loop stall", value: round(after.lagMax), unit: 'ms' },
    {
      bench: 'soak',
      metric: 'push p99, last window vs first',
      value: p99(end - window, end),
      unit: 'ms',
      baseline: p99(started, started + window),
    },
  ];
}

function expectExit(code: number | null): void {
  if (code !== 0) throw new Error(`server exited with ${code} at the end of the soak`);
}
