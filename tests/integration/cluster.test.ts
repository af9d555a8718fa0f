/**
 * Three nodes behind nginx, as deploy/ lays them out (issue 18.4), every part a real process:
 * nginx from deploy/nginx-cluster.conf, Redis, a ClickHouse server, three server processes each with
 * its own write-ahead log. 50 walls (a process of their own) and device ingest go through nginx.
 *
 * The nodes start together on an empty store and seed it once; the balancing keeps a socket.io
 * session on its node; a node killed with -9 under load: its walls come back through nginx on
 * another node and equal a fresh wall on every node, ingest carries on, and after its restart every
 * event it acknowledged is stored exactly once (its log replayed). Redis killed and restarted under
 * load: no wall goes blank, nothing acknowledged is lost, every wall converges again. Two
 * dispatchers whose sockets nginx put on two different nodes race 500 reassignments under ingest:
 * one winner per version, every attempt audited once. Times are printed, never asserted.
 */
import { Agent } from 'node:http';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_NAMESPACE, type LiveClientToServer, type LiveServerToClient } from '../../shared/live.js';
import type { PracticeEvent } from '../../shared/events.js';
import { CLUSTER_DATABASE, startCluster, type Cluster } from '../helpers/cluster.js';
import { startWalls, type WallFleet } from '../helpers/cluster-walls.js';
import { checkin } from '../helpers/events.js';
import { LiveWall, withoutTime } from '../helpers/live-wall.js';
import type { KpiSnapshot } from '../../shared/kpi.js';
import { health, startLoad, type Load } from '../helpers/load.js';
import { accounts, eventually, type RunningServer } from '../helpers/server.js';
import { socketFor, type Credential } from '../helpers/auth.js';
import {
  networkNodes,
  orderDetail,
  overSocket,
  raceReassignments,
  requestOrder,
  toInstitute,
} from '../helpers/dispatch.js';
import { DISPATCH_NAMESPACE, type OrderView } from '../../shared/dispatch.js';

const WALLS = 50;
const PASSWORD = 'a test password for dispatchers';
const DISPATCHERS = ['d1', 'd2'].map((username) => ({
  username,
  password: PASSWORD,
  role: 'dispatcher' as const,
  scope: 'district',
}));
/** 5 orders × 100 rounds: 500 reassignments won across two nodes. */
const ORDERS = 5;
const ROUNDS = 100;
/** The node the test kills: its flushes wait, so what it acknowledged is in its log only. */
const VICTIM = 2;
let cluster: Cluster | undefined;
let fleet: WallFleet | undefined;
let load: Load | undefined;
/** When the node was killed (performance.now()), for the times printed after it. */
let killedAt = 0;

beforeAll(async () => {
  cluster = await startCluster(3, {
    users: DISPATCHERS,
    // Walls read anonymously: a wall token is one node's until tokens live in Redis (cl-auth).
    env: {
      PUBLIC_DISPLAY: '1',
      SOCKETS_PER_ADDRESS: '1000',
      SOCKETS_PER_CREDENTIAL: '1000',
      // The racing dispatchers send faster than a person's console may.
      SOCKET_EVENTS_PER_SECOND: '100000',
    },
    nodeEnv: { [VICTIM]: { FLUSH_MAX_AGE_MS: '60000', FLUSH_MAX_EVENTS: '1000000' } },
  });
});
afterAll(async () => {
  await load?.stop();
  await fleet?.close();
  await cluster?.close();
});

const started = (): Cluster => {
  if (!cluster) throw new Error('the cluster did not start');
  return cluster;
};

/** Screens connected to a node's `/live`, from its /metrics. */
const liveClients = (node: RunningServer): Promise<number> => gaugeOf(node, 'wmsj_live_clients');

/**
 * Waits until every wall of the fleet shows what a fresh wall on each running node shows, and what
 * each running node's `/api/kpi` answers; answers how long that took.
 */
async function converge(c: Cluster, walls: WallFleet): Promise<number> {
  const started = performance.now();
  const nodes = c.nodes.filter((n) => n.process.exitCode === null && n.process.signalCode === null);
  const fresh = nodes.map((n) => new LiveWall(n.url, ''));
  try {
    await eventually(async () => {
      const at = Date.now();
      const [states, kpis] = await Promise.all([
        walls.state(at),
        Promise.all(nodes.map(async (n) => (await (await fetch(`${n.url}/api/kpi`)).json()) as KpiSnapshot)),
      ]);
      const views = fresh.map((f) => JSON.stringify(f.view(at)));
      const figures = kpis.map((k) => JSON.stringify(withoutTime(k)));
      const same =
        views.every((v) => v === views[0]) &&
        states.every((w) => w.connected && JSON.stringify(w.view) === views[0]) &&
        figures.every((k) => k === JSON.stringify(fresh[0]?.view(at).kpi));
      return same ? true : undefined;
    }, 250);
    return performance.now() - started;
  } finally {
    for (const f of fresh) f.close();
  }
}

/** Every acknowledged id stored exactly once; ids whose request died on the wire at most once. */
async function storedOnce(c: Cluster, l: Load): Promise<void> {
  for (const node of c.nodes)
    await eventually(async () => ((await health(node)).ingest.pending === 0 ? true : undefined), 200);
  const store = await c.clickhouse.connect(CLUSTER_DATABASE);
  try {
    const acked = [...l.acked];
    const rows = await store.query<{ n: number | string }>(
      'SELECT count() AS n FROM events WHERE id IN {ids:Array(UUID)} GROUP BY id',
      { ids: acked },
    );
    expect(rows).toHaveLength(acked.length);
    expect(rows.filter((r) => Number(r.n) !== 1)).toEqual([]);
    const twice = await store.query<{ n: number | string }>(
      'SELECT count() AS n FROM events WHERE id IN {ids:Array(UUID)} GROUP BY id HAVING n > 1',
      { ids: [...l.unknown] },
    );
    expect(twice).toEqual([]);
  } finally {
    await store.close();
  }
}

/** Distinct times: the feed is ordered by time, and ties could list in either order. */
let lastTs = 0;
function nextEvent(): PracticeEvent {
  lastTs = Math.max(Date.now(), lastTs + 1);
  return checkin({ ts: lastTs, volunteerId: `V${1000 + (lastTs % 50)}`, nodeId: 'S001' });
}

describe('three nodes behind nginx', () => {
  it('started together on an empty store, seed it once', () => {
    const logs = started().nodes.map((n) => n.logs);
    const seeded = logs.filter((l) => l.some((line) => line.includes('"msg":"seeded network"')));
    const backfilled = logs.filter((l) => l.some((line) => line.includes('"msg":"backfilled history"')));
    expect(seeded).toHaveLength(1);
    expect(backfilled).toHaveLength(1);
  });

  it('keeps a long-polling session on its node, and spreads WebSockets over the nodes', async () => {
    const c = started();
    // Long-polling: every poll is a request of its own, and only the node that opened the session
    // knows its id. Clients from six loopback addresses, each through a dozen polls (resyncs).
    const polling = Array.from({ length: 6 }, (_, i): Socket<LiveServerToClient, LiveClientToServer> =>
      io(`${c.url}${LIVE_NAMESPACE}`, {
        transports: ['polling'],
        forceNew: true,
        reconnection: false,
        // engine.io-client hands `agent` to its Node request; its type says browser (string | boolean).
        agent: new Agent({ localAddress: `127.0.0.${i + 2}` }) as unknown as string,
      }),
    );
    try {
      await Promise.all(
        polling.map(async (socket) => {
          await new Promise<void>((resolve, reject) => {
            socket.once('live:snapshot', () => resolve());
            socket.once('connect_error', reject);
          });
          for (let i = 0; i < 12; i += 1) {
            const ok = await new Promise<boolean>((resolve) =>
              socket.timeout(10_000).emit('live:resync', (err: Error | null, result) => resolve(!err && result.ok)),
            );
            expect(ok).toBe(true);
          }
          expect(socket.connected).toBe(true);
        }),
      );
    } finally {
      for (const s of polling) s.close();
    }

    fleet = await startWalls(c.url, WALLS);
    await eventually(async () => ((await fleet?.state(Date.now()))?.every((w) => w.connected) ? true : undefined));
    const perNode = await Promise.all(c.nodes.map(liveClients));
    expect(perNode.reduce((a, b) => a + b, 0)).toBe(WALLS);
    expect(perNode.every((n) => n > 0)).toBe(true);
  });

  it('kill -9 of a node under ingest: its walls come back through nginx on another node, ingest carries on', async () => {
    const c = started();
    if (!fleet) throw new Error('no walls');
    const victim = c.nodes[VICTIM];
    if (!victim) throw new Error('no victim');
    const target = { url: c.url, token: victim.token };
    // Bounded: two senders of five events every 100 ms, stopped by the test before the restart.
    load = startLoad(target, { make: nextEvent, batch: 5, senders: 2, pauseMs: 100 });
    // The victim has acknowledged events it has not written: the kill lands between ack and insert.
    await eventually(async () => ((await health(victim)).ingest.pending > 0 ? true : undefined), 200);
    const onVictim = await liveClients(victim);
    expect(onVictim).toBeGreaterThan(0);
    const before = await fleet.state(Date.now());
    const ackedBefore = load.acked.size;

    killedAt = performance.now();
    await c.kill(VICTIM);
    const walls = fleet;
    const back = await eventually(async () => {
      const now = await walls.state(Date.now());
      const dropped = now.filter((w, i) => w.counts.disconnects > (before[i]?.counts.disconnects ?? 0));
      return dropped.length === onVictim && now.every((w) => w.connected) ? now : undefined;
    }, 100);
    const reconnectMs = performance.now() - killedAt;
    console.log(
      `cluster: ${onVictim} walls of the killed node reconnected through nginx in ${reconnectMs.toFixed(0)} ms`,
    );
    // Each reconnected wall took a fresh snapshot from the node it reached.
    for (const [i, w] of back.entries())
      if (w.counts.disconnects > (before[i]?.counts.disconnects ?? 0))
        expect(w.counts.snapshots).toBeGreaterThan(before[i]?.counts.snapshots ?? 0);
    // nginx sent ingest to the other nodes meanwhile.
    const ackedAtKill = load.acked.size;
    await eventually(() => (load && load.acked.size > ackedAtKill + 50 ? true : undefined));
    expect(ackedAtKill).toBeGreaterThan(ackedBefore - 1);
  });

  it('its walls, reconnected, equal a fresh wall on every node', async () => {
    const c = started();
    if (!fleet || !load) throw new Error('no walls or load');
    await load.stop();
    const ms = await converge(c, fleet);
    const sinceKill = (performance.now() - killedAt).toFixed(0);
    console.log(
      `cluster: walls equal fresh walls ${ms.toFixed(0)} ms after the load stopped, ${sinceKill} ms after the kill`,
    );
  });

  it('after its restart, every event the killed node acknowledged is stored exactly once', async () => {
    const c = started();
    const l = load;
    if (!l) throw new Error('no load');
    await l.stop();
    // Its usual flush now: what it acknowledged before the kill is in its log, replayed at start.
    const restarted = await c.restart(VICTIM, { FLUSH_MAX_AGE_MS: '250' });
    expect(restarted.logs.some((line) => line.includes('replaying write-ahead log'))).toBe(true);
    await storedOnce(c, l);
  });

  it('Redis killed and restarted under load: walls keep their data, nothing acknowledged is lost, the cluster converges', async () => {
    const c = started();
    if (!fleet) throw new Error('no walls');
    const walls = fleet;
    load = startLoad(
      { url: c.url, token: c.nodes[0]?.token ?? '' },
      { make: nextEvent, batch: 5, senders: 2, pauseMs: 100 },
    );
    const l = load;
    await eventually(() => (l.acked.size > 100 ? true : undefined));
    await c.redis.kill();
    const downAt = l.acked.size;
    // Ingest does not need Redis: nodes keep acknowledging into their logs.
    await eventually(() => (l.acked.size > downAt + 50 ? true : undefined));
    // With Redis down, every wall still shows its figures.
    expect((await walls.state(Date.now())).every((w) => w.view.kpi !== null)).toBe(true);
    await c.redis.restart();
    const backAt = performance.now();
    const ackedAtRestart = l.acked.size;
    await eventually(() => (l.acked.size > ackedAtRestart + 50 ? true : undefined));
    await l.stop();
    const ms = await converge(c, walls);
    console.log(
      `cluster: converged ${(performance.now() - backAt).toFixed(0)} ms after Redis came back (${ms.toFixed(0)} ms after the load stopped)`,
    );
    // Walls never went blank: each holds figures, and none was left disconnected.
    const states = await walls.state(Date.now());
    expect(states.every((w) => w.connected && w.view.kpi !== null)).toBe(true);
    await storedOnce(c, l);
  });

  it('dispatchers on two nodes through nginx race 500 reassignments under ingest: one winner per version, the audit complete', async () => {
    const c = started();
    const { login } = accounts(c.url, fetch);
    const http = { url: c.url, fetch };
    const [d1, d2] = [{ cookie: await login('d1', PASSWORD) }, { cookie: await login('d2', PASSWORD) }];
    // Each console's node, read from the nodes' /metrics: nginx chose it (least_conn).
    const consoles = () => Promise.all(c.nodes.map((n) => gaugeOf(n, 'wmsj_dispatch_consoles')));
    const sum = (counts: number[]) => counts.reduce((x, y) => x + y, 0);
    /** Connects a console through nginx; its node is the one whose count of consoles grew by one. */
    const connectOn = async (credential: Credential): Promise<{ socket: Socket; node: number }> => {
      const before = await consoles();
      const socket = await dispatcherSocket(c.url, credential);
      const after = await eventually(async () => {
        const now = await consoles();
        return sum(now) === sum(before) + 1 ? now : undefined;
      });
      return { socket, node: after.findIndex((n, i) => n === (before[i] ?? 0) + 1) };
    };
    const one = await connectOn(d1);
    // least_conn sends new sockets to the node with the fewest (the restarted one, with no walls
    // yet): d2's consoles stay open there until nginx picks another node for one (bounded).
    const extra: Socket[] = [];
    let two = await connectOn(d2);
    for (let tries = 0; tries < 60 && two.node === one.node; tries += 1) {
      extra.push(two.socket);
      two = await connectOn(d2);
    }
    for (const socket of extra) socket.close();
    expect(two.node).not.toBe(one.node);
    const [s1, s2] = [one.socket, two.socket];
    try {
      const nodes = await networkNodes(http, d1);
      const [a, b] = nodes.filter((n) => n.level === 'station' && n.instituteId === 'I01');
      if (!a || !b) throw new Error('I01 needs two stations');
      const orders: OrderView[] = [];
      for (let i = 0; i < ORDERS; i++) orders.push(await toInstitute(http, d1, await requestOrder(http, d1, a.id)));
      load = startLoad(
        { url: c.url, token: c.nodes[0]?.token ?? '' },
        { make: nextEvent, batch: 5, senders: 2, pauseMs: 100 },
      );
      const startedAt = performance.now();
      const { sent, winners } = await raceReassignments(orders, ROUNDS, overSocket(s1, a.id), overSocket(s2, b.id));
      console.log(
        `cluster: ${ORDERS * ROUNDS} reassignments raced across two nodes in ${(performance.now() - startedAt).toFixed(0)} ms`,
      );
      await load.stop();
      for (const start of orders) {
        const { order, timeline } = await orderDetail(http, d1, start.id);
        expect(order.version).toBe(start.version + ROUNDS);
        expect(order.stationId).toBe(winners.get(start.id)?.at(-1)?.stationId);
        // Each node writes its own audit; poll until both have (each detail read flushes its node's).
        const attempts = await eventually(async () => {
          const rows = (await orderDetail(http, d2, start.id)).timeline.filter((e) => e.action === 'reassign');
          return rows.length >= 2 * ROUNDS ? rows : undefined;
        });
        expect(timeline.length).toBeGreaterThan(0);
        expect(attempts.map((e) => e.commandId).sort()).toEqual([...(sent.get(start.id) ?? [])].sort());
        const accepted = attempts.filter((e) => e.result === 'ok').sort((x, y) => x.afterVersion - y.afterVersion);
        expect(accepted.map((e) => e.afterVersion)).toEqual((winners.get(start.id) ?? []).map((w) => w.version));
      }
    } finally {
      s1.close();
      s2.close();
    }
  });
});

/** A gauge's value in a node's /metrics. */
async function gaugeOf(node: RunningServer, name: string): Promise<number> {
  const text = await (
    await fetch(`${node.url}/metrics`, { headers: { authorization: `Bearer ${node.token}` } })
  ).text();
  return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? Number.NaN);
}

/** A dispatcher's console through nginx, connected. */
async function dispatcherSocket(url: string, credential: Credential): Promise<Socket> {
  const socket = socketFor(url, DISPATCH_NAMESPACE, credential);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}
