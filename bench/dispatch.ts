/**
 * Dispatch round trip: a dispatcher sends a command on `/dispatch`, gets its ack, and another
 * dispatcher's console shows the change — 50 dispatcher sockets each reassigning its own order about
 * once a second, under 5,000 events/s of background ingest. Beside it, the same round trip for a
 * console that polls `GET /api/v1/orders` every 5 s (the change shows on the first poll that starts
 * after the ack), measured in the same run.
 */
import { io, type Socket } from 'socket.io-client';
import {
  DISPATCH_NAMESPACE,
  type DispatchClientToServer,
  type DispatchServerToClient,
  type OrderView,
} from '../shared/dispatch.js';
import { command, emitCommand, networkNodes, requestOrder, toInstitute } from '../tests/helpers/dispatch.js';
import { startServer } from '../tests/helpers/server.js';
import { percentile, round, type BenchRow } from './lib.js';
import { now, runLoad, type Probes } from './live-load.js';

type DispatchSocket = Socket<DispatchServerToClient, DispatchClientToServer>;
const DISPATCHERS = Number(process.env['BENCH_DISPATCHERS'] ?? 50);
/** Logins are rate limited per address (30 a minute), so the sockets share a few accounts. */
const ACCOUNTS = 10;
const RATE = Number(process.env['BENCH_RATE'] ?? 5_000);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 20);
const COMMAND_EVERY_MS = 1_000;
const POLL_EVERY_MS = 5_000;
const PASSWORD = 'bench dispatcher password';

export async function benchDispatch(): Promise<BenchRow[]> {
  const users = Array.from({ length: ACCOUNTS }, (_, i) => ({
    username: `bench-d${i}`,
    password: PASSWORD,
    role: 'dispatcher' as const,
    scope: 'district',
  }));
  const server = await startServer({
    users,
    env: { BACKFILL_SCALE: '0', LOG_LEVEL: 'warn', DISPATCH_AUTO_ESCALATE: '0' },
  });
  const sockets: DispatchSocket[] = [];
  try {
    const cookies = await Promise.all(users.map((u) => server.login(u.username, PASSWORD)));
    const admin = { cookie: await server.login() };
    const stations = (await networkNodes(server, admin)).filter((n) => n.level === 'station');
    /** Each dispatcher's order, and the two stations of its town it moves the order between. */
    const orders: { order: OrderView; a: string; b: string }[] = [];
    for (let i = 0; i < DISPATCHERS; i += 1) {
      const a = stations[i % stations.length];
      const b = stations.find((s) => s.instituteId === a?.instituteId && s.id !== a.id);
      if (!a || !b) throw new Error('a town needs two stations');
      orders.push({
        order: await toInstitute(server, admin, await requestOrder(server, admin, a.id)),
        a: a.id,
        b: b.id,
      });
    }
    /** `${orderId}@${version}` → when its command was sent; the next dispatcher's socket times the push. */
    const sent = new Map<string, number>();
    const acked = new Map<string, number>();
    const ackMs: number[] = [];
    const seenMs: number[] = [];
    for (let i = 0; i < DISPATCHERS; i += 1) {
      const socket: DispatchSocket = io(`${server.url}${DISPATCH_NAMESPACE}`, {
        transports: ['websocket'],
        forceNew: true,
        extraHeaders: { cookie: cookies[i % ACCOUNTS] ?? '' },
      });
      const watched = orders[(i + DISPATCHERS - 1) % DISPATCHERS]?.order.id;
      socket.on('dispatch:order', ({ order }) => {
        const t = sent.get(`${order.id}@${order.version}`);
        if (order.id === watched && t !== undefined) seenMs.push(now() - t);
      });
      await new Promise<void>((resolve) => socket.once('dispatch:snapshot', () => resolve()));
      sockets.push(socket);
    }

    const polls: { started: number; done: number }[] = [];
    const running = { on: true };
    const poller = (async () => {
      while (running.on) {
        const started = now();
        await fetch(`${server.url}/api/v1/orders`, { headers: { cookie: cookies[0] ?? '' } }).then((r) => r.json());
        polls.push({ started, done: now() });
        await new Promise((r) => setTimeout(r, POLL_EVERY_MS));
      }
    })();
    const dispatchers = orders.map(async (slot, i) => {
      const socket = sockets[i];
      if (!socket) return;
      let version = slot.order.version;
      // Spread the dispatchers over the second, as people would be.
      await new Promise((r) => setTimeout(r, (i * COMMAND_EVERY_MS) / DISPATCHERS));
      for (let n = 0; running.on; n += 1) {
        const target = { kind: 'station', id: n % 2 === 0 ? slot.b : slot.a };
        const body = command(slot.order.id, version, { type: 'reassign', target });
        const t0 = now();
        sent.set(`${slot.order.id}@${version + 1}`, t0);
        const ack = await emitCommand(socket, body);
        const t1 = now();
        if (ack.ok) {
          ackMs.push(t1 - t0);
          acked.set(`${slot.order.id}@${version + 1}`, t0);
          version = ack.data.order.version;
        } else if (ack.error.order) version = ack.error.order.version;
        await new Promise((r) => setTimeout(r, Math.max(0, COMMAND_EVERY_MS - (now() - t0))));
      }
    });
    await runLoad(server, RATE, SECONDS, new Map() as Probes);
    running.on = false;
    await Promise.all([...dispatchers, poller]);

    const pollMs = [...acked.values()]
      .map((t) => {
        const seen = polls.find((p) => p.started > t);
        return seen ? seen.done - t : undefined;
      })
      .filter((x): x is number => x !== undefined)
      .sort((x, y) => x - y);
    const seen = seenMs.sort((x, y) => x - y);
    const acks = ackMs.sort((x, y) => x - y);
    const label = `${DISPATCHERS} dispatchers, ${RATE} events/s`;
    return [
      {
        bench: 'dispatch',
        metric: `command → ack → another dispatcher sees it, p50, ${label}`,
        value: round(percentile(seen, 50)),
        unit: 'ms',
        baseline: round(percentile(pollMs, 50), 0),
      },
      {
        bench: 'dispatch',
        metric: `same, p99`,
        value: round(percentile(seen, 99)),
        unit: 'ms',
        baseline: round(percentile(pollMs, 99), 0),
      },
      {
        bench: 'dispatch',
        metric: 'command → ack, p50 / p99',
        value: round(percentile(acks, 50)),
        unit: `ms / ${round(percentile(acks, 99))} ms`,
      },
      {
        bench: 'dispatch',
        metric: 'commands acknowledged / seen by the other dispatcher',
        value: acks.length,
        unit: `/ ${seen.length}`,
      },
    ];
  } finally {
    for (const s of sockets) s.close();
    await server.stop();
  }
}
