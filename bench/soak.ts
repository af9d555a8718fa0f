/**
 * Soak (not a test): `npm run bench -- soak [--minutes 30]` (default 30; SOAK_MINUTES too) at
 * 5,000 events/s with 500 walls. The walls are bare socket.io screens in SOAK_PROCESSES (default 4)
 * processes of their own (bench/socket-walls.ts) and the load generator is this process, so the
 * push figures are the server's; every 30 s the bench reads the walls' latencies, the server's
 * longest event-loop stall (its `/metrics` histogram, perf_hooks monitorEventLoopDelay, which each
 * read starts again), its heap and RSS, and the CPU of the server, the walls, the sender and the rest
 * of the machine. Reports events lost (acknowledged but not stored, read from ClickHouse after the
 * server stops), the push p99 of the first and the last five minutes (a third of a shorter run each),
 * the longest stall and when, and the cores each process used.
 */
import { startServer, type RunningServer } from '../tests/helpers/server.js';
import { EmbeddedTransport } from '../server/store/embedded.js';
import {
  cpuWindow,
  describeCpu,
  MANY_SCREENS,
  minutesOption,
  processCpu,
  profileArgs,
  round,
  gcPausesOver,
  scrapeSeries,
  treeCpu,
  type BenchRow,
} from './lib.js';
import { now, runLoad } from './live-load.js';
import { mergeWindows, startSocketWalls, windowPercentile, type WallsWindow } from './socket-walls.js';

const WALLS = Number(process.env['SOAK_WALLS'] ?? 500);
const PROCESSES = Number(process.env['SOAK_PROCESSES'] ?? 4);
const RATE = 5_000;
/** How often the walls' latencies, the stall and the memory are read. */
const SAMPLE_MS = 30_000;

interface Sample {
  /** Bench time (ms) the sample's window ended. */
  at: number;
  walls: WallsWindow;
  /** The longest event-loop stall since the previous read, ms. */
  stallMs: number;
  rss: number;
  heap: number;
  /** Frames the server sent so far, and its frame interval at the read (server/live/pacer.ts). */
  frames: number;
  intervalMs: number;
  /** The collector's pauses of ≥ 50 ms and ≥ 100 ms so far: what a stall in the same window may be. */
  gc50: number;
  gc100: number;
}

async function readServer(server: RunningServer): Promise<Omit<Sample, 'at' | 'walls'>> {
  const series = await scrapeSeries(server);
  const read = (name: string) => series.get(name) ?? Number.NaN;
  return {
    gc50: gcPausesOver(series, 0.05),
    gc100: gcPausesOver(series, 0.1),
    frames: read('wmsj_live_frames_total'),
    intervalMs: read('wmsj_live_frame_interval_seconds') * 1000,
    rss: read('wmsj_process_resident_memory_bytes') / 2 ** 20,
    heap: read('wmsj_nodejs_heap_size_used_bytes') / 2 ** 20,
    stallMs: read('wmsj_nodejs_eventloop_lag_max_seconds') * 1000,
  };
}

export async function benchSoak(): Promise<BenchRow[]> {
  const minutes = minutesOption(process.argv, Number(process.env['SOAK_MINUTES'] ?? 30));
  const log = (line: string) => process.stderr.write(`soak: ${line}\n`);
  const server = await startServer({
    env: { BACKFILL_SCALE: '0.02', LOG_LEVEL: 'warn', ...MANY_SCREENS },
    ...profileArgs(),
  });
  const walls = await startSocketWalls(server.url, await server.wallToken(), WALLS, { processes: PROCESSES });
  if (walls.ready < WALLS) throw new Error(`only ${walls.ready} of ${WALLS} walls connected`);
  const pid = server.process.pid ?? 0;
  const samples: Sample[] = [];
  const before = await readServer(server);
  const started = now();
  const startedMs = Date.now();
  const cpu = cpuWindow({ server: () => treeCpu(pid), sender: () => processCpu(process.pid) });
  let wallsCpuMs = 0;
  await walls.start();
  const load = runLoad(server, RATE, minutes * 60, new Map());
  const state = { running: true };
  const isRunning = () => state.running;
  void load.finally(() => {
    state.running = false;
  });
  const take = async () => {
    const window = await walls.stop();
    await walls.start();
    wallsCpuMs += window.cpuMs;
    const s = { at: now() - started, walls: window, ...(await readServer(server)) };
    const previous = samples.at(-1) ?? before;
    samples.push(s);
    log(
      `${(s.at / 60_000).toFixed(1)} min: p99 ${windowPercentile(window, 99)} ms, stall ${round(s.stallMs)} ms (GC pauses ≥ 50 / ≥ 100 ms: ${s.gc50 - previous.gc50} / ${s.gc100 - previous.gc100}), frame interval ${round(s.intervalMs)} ms, heap ${round(s.heap)} MiB, rss ${round(s.rss)} MiB, ${window.connected} walls`,
    );
  };
  const sampler = (async () => {
    for (let next = started + SAMPLE_MS; state.running; next += SAMPLE_MS) {
      await Promise.race([load, new Promise((r) => setTimeout(r, Math.max(0, next - now())))]);
      // The load may have ended during the wait: the last window is taken after it.
      if (isRunning()) await take();
    }
  })();
  const result = await load;
  await sampler;
  // The last probes' frames, then the last window.
  await new Promise((r) => setTimeout(r, 1_000));
  await take();
  const used = cpu();
  const achieved = Math.round(result.accepted / ((now() - started) / 1000));
  const after = samples.at(-1) ?? { ...before, at: 0 };
  await walls.close();
  expectExit(await server.stop());
  // Every event since the start is the soak's (the simulator is off, the history is older).
  const store = new EmbeddedTransport(`${server.dataDir}/clickhouse`);
  const [stored] = await store.query<{ n: number; ids: number }>(
    'SELECT count() AS n, uniqExact(id) AS ids FROM events FINAL WHERE ts >= fromUnixTimestamp64Milli({since:Int64})',
    { since: startedMs - 1_000 },
  );
  await store.close();
  const lost = result.accepted - (stored?.ids ?? 0);
  const span = Math.min(5, minutes / 3) * 60_000;
  const end = minutes * 60_000;
  const p99 = (from: number, to: number) =>
    round(
      windowPercentile(mergeWindows(samples.filter((s) => s.at > from && s.at <= to + 1_500).map((s) => s.walls)), 99),
    );
  const stall = samples.reduce((worst, s) => (s.stallMs > worst.stallMs ? s : worst), after);
  const beforeStall = samples[samples.findIndex((s) => s.at === stall.at) - 1] ?? before;
  const stallGc = `GC pauses ≥ 50 / ≥ 100 ms in that window: ${stall.gc50 - beforeStall.gc50} / ${stall.gc100 - beforeStall.gc100}; in the run: ${after.gc50 - before.gc50} / ${after.gc100 - before.gc100}`;
  const whole = mergeWindows(samples.map((s) => s.walls));
  const frames = round((after.frames - before.frames) / used.seconds);
  const cores = `${describeCpu(used)}, walls ${round(wallsCpuMs / 1000 / used.seconds, 2)}; ${frames} frames/s`;
  const label = `${minutes} min, ${RATE} events/s asked, ${achieved} achieved, ${WALLS} walls in ${PROCESSES} processes`;
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
    { bench: 'soak', metric: `events lost of ${result.accepted} acknowledged`, value: lost, unit: '', goal: '0' },
    { bench: 'soak', metric: 'events stored twice', value: (stored?.n ?? 0) - (stored?.ids ?? 0), unit: '', goal: '0' },
    { bench: 'soak', metric: 'load requests unanswered (not acknowledged)', value: result.failed, unit: '' },
    {
      bench: 'soak',
      metric: `server's longest event-loop stall (in the 30 s to minute ${round(stall.at / 60_000)}; ${stallGc})`,
      value: round(stall.stallMs),
      unit: 'ms',
      goal: '≤ 100 ms',
    },
    {
      bench: 'soak',
      metric: `push p99, last ${(span / 60_000).toFixed(1)} min vs first (baseline)`,
      value: p99(end - span, Number.POSITIVE_INFINITY),
      unit: 'ms',
      baseline: p99(0, span),
      goal: '≤ 200 ms',
    },
    {
      bench: 'soak',
      metric: `push p50 / p99 of the whole run; ${cores}`,
      value: round(windowPercentile(whole, 99)),
      unit: 'ms',
      baseline: round(windowPercentile(whole, 50)),
    },
  ];
}

function expectExit(code: number | null): void {
  if (code !== 0) throw new Error(`server exited with ${code} at the end of the soak`);
}
