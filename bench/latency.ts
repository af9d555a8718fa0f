/**
 * Event-to-screen latency: from the POST of an event to its receipt in each of 200 socket.io
 * clients on `/live`, under 5,000 events/s. Beside it, the way big-screen products do it: a client
 * polling `GET /api/kpi` every 5 s, where an event shows on the first poll that starts after it.
 */
import { io, type Socket } from 'socket.io-client';
import { LIVE_NAMESPACE, type LiveClientToServer, type LiveServerToClient } from '../shared/live.js';
import { startServer, type RunningServer } from '../tests/helpers/server.js';
import { makeEvents, percentile, round, type BenchRow } from './lib.js';

const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 200);
const RATE = Number(process.env['BENCH_RATE'] ?? 5_000);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 15);
const BATCH_EVERY_MS = 20;
const POLL_EVERY_MS = 5_000;

const now = () => performance.timeOrigin + performance.now();

async function connectAll(server: RunningServer, sentAt: Map<string, number>, samples: number[]): Promise<Socket[]> {
  const sockets: Socket<LiveServerToClient, LiveClientToServer>[] = [];
  const token = await server.wallToken();
  for (let i = 0; i < CLIENTS; i += 1) {
    const socket: Socket<LiveServerToClient, LiveClientToServer> = io(`${server.url}${LIVE_NAMESPACE}`, {
      transports: ['websocket'],
      forceNew: true,
      auth: { token },
    });
    socket.on('live:tick', (tick) => {
      const at = now();
      for (const item of tick.feed) {
        const sent = sentAt.get(item.id);
        if (sent !== undefined) samples.push(at - sent);
      }
    });
    await new Promise<void>((resolve) => socket.once('live:snapshot', () => resolve()));
    sockets.push(socket);
  }
  return sockets;
}

export async function benchLatency(): Promise<BenchRow[]> {
  const server = await startServer({ env: { BACKFILL_SCALE: '0', LOG_LEVEL: 'warn' } });
  const sentAt = new Map<string, number>();
  const samples: number[] = [];
  const polls: { started: number; done: number }[] = [];
  const sockets = await connectAll(server, sentAt, samples);
  const wallToken = await server.wallToken();
  const nodeIds = ['S001', 'S002', 'S003', 'P0001', 'P0002'];
  try {
    const perBatch = Math.round((RATE * BATCH_EVERY_MS) / 1000);
    const started = now();
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
    const probes: number[] = [];
    let tick = 0;
    while (now() - started < SECONDS * 1000) {
      // One probe check-in per batch (it shows on the scroll board); the rest is media reads as load.
      const [probe] = makeEvents(1, nodeIds, Date.now(), 1);
      if (!probe) throw new Error('no probe event');
      const batch = [probe, ...makeEvents(perBatch - 1, nodeIds, Date.now(), 0)];
      const sent = now();
      sentAt.set(probe.id, sent);
      probes.push(sent);
      void fetch(`${server.url}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
        body: JSON.stringify(batch),
      });
      tick += 1;
      const due = started + tick * BATCH_EVERY_MS;
      await new Promise((r) => setTimeout(r, Math.max(0, due - now())));
    }
    await new Promise((r) => setTimeout(r, 1_000));
    poll.on = false;
    await poller;
    const sorted = samples.sort((a, b) => a - b);
    const pollLatency = probes
      .map((t) => polls.find((p) => p.started > t)?.done)
      .map((done, i) => (done === undefined ? undefined : done - (probes[i] ?? 0)))
      .filter((x): x is number => x !== undefined)
      .sort((a, b) => a - b);
    const expected = probes.length * CLIENTS;
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
        value: round((samples.length / expected) * 100, 2),
        unit: '%',
      },
    ];
  } finally {
    for (const s of sockets) s.close();
    await server.stop();
  }
}
