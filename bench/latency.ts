/**
 * Event-to-screen latency: from the POST of an event to its receipt in each of 200 screens on
 * `/live`, under 5,000 events/s. The screens speak socket.io's packets on the wire in processes of
 * their own (bench/socket-walls.ts), so the bench's own process is only the load generator and the
 * figure is the server's; each row says the cores the server, the screens and the sender used, and
 * what else ran. Beside it, the way big-screen products do it: a client polling `GET /api/kpi` every
 * 5 s, where an event shows on the first poll that starts after it.
 */
import { startServer } from '../tests/helpers/server.js';
import {
  cpuWindow,
  describeCpu,
  MANY_SCREENS,
  percentile,
  processCpu,
  profileArgs,
  round,
  gcPausesOver,
  scrapeSeries,
  treeCpu,
  type BenchRow,
} from './lib.js';
import { now, runLoad, type Probes } from './live-load.js';
import { received, startSocketWalls, windowPercentile } from './socket-walls.js';

const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 200);
const RATE = Number(process.env['BENCH_RATE'] ?? 5_000);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 15);
const POLL_EVERY_MS = 5_000;

export async function benchLatency(): Promise<BenchRow[]> {
  const server = await startServer({
    env: { BACKFILL_SCALE: '0', LOG_LEVEL: 'warn', ...MANY_SCREENS },
    ...profileArgs(),
  });
  const probes: Probes = new Map();
  const polls: { started: number; done: number }[] = [];
  const walls = await startSocketWalls(server.url, await server.wallToken(), CLIENTS, { processes: 2 });
  const wallToken = await server.wallToken();
  try {
    if (walls.ready < CLIENTS) throw new Error(`only ${walls.ready} of ${CLIENTS} screens connected`);
    const poll = { on: true };
    const poller = (async () => {
      while (poll.on) {
        const t = now();
        await fetch(`${server.url}/api/kpi`, { headers: { authorization: `Bearer ${wallToken}` } }).then((r) =>
          r.json(),
        );
        polls.push({ started: t, done: now() });
        await new Promise((r) => setTimeout(r, POLL_EVERY_MS));
      }
    })();
    const pid = server.process.pid ?? 0;
    // This read also starts the server's longest-stall gauge again (perf_hooks' event-loop delay).
    const before = await scrapeSeries(server);
    const cpu = cpuWindow({ server: () => treeCpu(pid), sender: () => processCpu(process.pid) });
    await walls.start();
    const load = await runLoad(server, RATE, SECONDS, probes);
    await new Promise((r) => setTimeout(r, 1_000));
    const window = await walls.stop();
    const used = cpu();
    const after = await scrapeSeries(server);
    const read = (name: string) => after.get(name) ?? Number.NaN;
    // How often the server sent frames, and the interval its pacer chose (server/live/pacer.ts).
    const frames = `${round((read('wmsj_live_frames_total') - (before.get('wmsj_live_frames_total') ?? 0)) / used.seconds)} frames/s, interval ${round(read('wmsj_live_frame_interval_seconds') * 1000)} ms at the end`;
    // What can hold an event past its frame: the server's longest stall, and the collector's pauses.
    const stalls = `longest event-loop stall ${round(read('wmsj_nodejs_eventloop_lag_max_seconds') * 1000)} ms, GC pauses ≥ 25 / ≥ 50 ms: ${gcPausesOver(after, 0.025) - gcPausesOver(before, 0.025)} / ${gcPausesOver(after, 0.05) - gcPausesOver(before, 0.05)}`;
    const beside = `${describeCpu(used)}, screens ${round(window.cpuMs / 1000 / used.seconds, 2)}; ${frames}`;
    poll.on = false;
    await poller;
    const pollLatency = [...probes.values()]
      .map((t) => {
        const seen = polls.find((p) => p.started > t);
        return seen ? seen.done - t : undefined;
      })
      .filter((x): x is number => x !== undefined)
      .sort((a, b) => a - b);
    return [
      {
        bench: 'latency',
        metric: `push p50, ${CLIENTS} clients, ${RATE} events/s (${load.accepted} accepted); ${beside}`,
        value: round(windowPercentile(window, 50)),
        unit: 'ms',
        baseline: round(percentile(pollLatency, 50), 0),
        goal: '≤ 50 ms',
      },
      {
        bench: 'latency',
        metric: `push p99, ${CLIENTS} clients, ${RATE} events/s; ${stalls}`,
        value: round(windowPercentile(window, 99)),
        unit: 'ms',
        baseline: round(percentile(pollLatency, 99), 0),
        goal: '≤ 50 ms',
      },
      {
        bench: 'latency',
        metric: 'probe deliveries received / expected',
        value: round((received(window) / (load.probesSent * CLIENTS)) * 100, 2),
        unit: '%',
      },
    ];
  } finally {
    await walls.close();
    await server.stop();
  }
}
