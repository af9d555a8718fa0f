/**
 * Event-to-screen latency: from the POST of an event to its receipt in each of 200 socket.io
 * clients on `/live`, under 5,000 events/s. Beside it, the way big-screen products do it: a client
 * polling `GET /api/kpi` every 5 s, where an event shows on the first poll that starts after it.
 */
import { startServer } from '../tests/helpers/server.js';
import { percentile, round, type BenchRow } from './lib.js';
import { connectWalls, now, runLoad, type Probes } from './live-load.js';

const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 200);
const RATE = Number(process.env['BENCH_RATE'] ?? 5_000);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 15);
const POLL_EVERY_MS = 5_000;

export async function benchLatency(): Promise<BenchRow[]> {
  const server = await startServer({ env: { BACKFILL_SCALE: '0', LOG_LEVEL: 'warn' } });
  const probes: Probes = new Map();
  const samples: number[] = [];
  const polls: { started: number; done: number }[] = [];
  const sockets = await connectWalls(server, CLIENTS, probes, (ms) => samples.push(ms));
  const wallToken = await server.wallToken();
  try {
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
    const load = await runLoad(server, RATE, SECONDS, probes);
    await new Promise((r) => setTimeout(r, 1_000));
    poll.on = false;
    await poller;
    const sorted = samples.sort((a, b) => a - b);
    const sentTimes = [...probes.values()];
    const pollLatency = sentTimes
      .map((t) => {
        const seen = polls.find((p) => p.started > t);
        return seen ? seen.done - t : undefined;
      })
      .filter((x): x is number => x !== undefined)
      .sort((a, b) => a - b);
    return [
      {
        bench: 'latency',
        metric: `push p50, ${CLIENTS} clients, ${RATE} events/s`,
        value: round(percentile(sorted, 50)),
        unit: 'ms',
        baseline: round(percentile(pollLatency, 50), 0),
        goal: '≤ 50 ms',
      },
      {
        bench: 'latency',
        metric: `push p99, ${CLIENTS} clients, ${RATE} events/s`,
        value: round(percentile(sorted, 99)),
        unit: 'ms',
        baseline: round(percentile(pollLatency, 99), 0),
        goal: '≤ 150 ms',
      },
      {
        bench: 'latency',
        metric: 'probe deliveries received / expected',
        value: round((samples.length / (load.probesSent * CLIENTS)) * 100, 2),
        unit: '%',
      },
    ];
  } finally {
    for (const s of sockets) s.close();
    await server.stop();
  }
}
