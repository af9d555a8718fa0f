/**
 * The live picture across two nodes (issue 18.1): on one ClickHouse server process and one Redis,
 * an event ingested at node A is on a wall connected to node B once — while it waits in A's
 * write-ahead log (B counts A's raw delta) and after A's flush (B's store figures have it, the
 * delta is gone) — and B's wall then equals a fresh wall's snapshot on either node. A panel-query
 * subscriber on B gets the update for A's events; emergency mode switched at A reaches B's walls at
 * once and a node started later; a wall token revoked at A drops its socket on another node.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmergencyState } from '../../../shared/emergency.js';
import { LIVE_NAMESPACE, type LiveClientToServer, type LiveServerToClient } from '../../../shared/live.js';
import type { HeatPoint } from '../../../shared/queries/heat.js';
import type { QuerySubscribe, QueryUpdate } from '../../../shared/queries/index.js';
import type { Result } from '../../../shared/result.js';
import type { TestApp } from '../../helpers/app.js';
import { appealReceived, checkin } from '../../helpers/events.js';
import { health } from '../../helpers/load.js';
import { LiveWall } from '../../helpers/live-wall.js';
import { startNodes, type TestNodes } from '../../helpers/nodes.js';

type LiveSocket = Socket<LiveServerToClient, LiveClientToServer>;
let cluster: TestNodes;
let a: TestApp;
let b: TestApp;
const walls: LiveWall[] = [];
const sockets: LiveSocket[] = [];

/** Polls `probe` every 50 ms, at most `tries` times; the last value whatever it is. */
async function until<T>(probe: () => T | Promise<T>, done: (value: T) => boolean, tries = 400): Promise<T> {
  let value = await probe();
  for (let i = 0; i < tries && !done(value); i += 1) {
    await sleep(50);
    value = await probe();
  }
  return value;
}

async function wallOn(node: TestApp, token: string): Promise<LiveWall> {
  const wall = new LiveWall(node.url, token);
  walls.push(wall);
  await until(
    () => wall.kpi,
    (k) => k !== null,
  );
  if (!wall.kpi) throw new Error(`no snapshot from ${node.app.nodeId}`);
  return wall;
}

function socketOn(node: TestApp, token: string): LiveSocket {
  const socket: LiveSocket = io(`${node.url}${LIVE_NAMESPACE}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { token },
  });
  sockets.push(socket);
  return socket;
}

const post = (node: TestApp, events: unknown[]) =>
  node.fetch('/api/v1/events', {
    method: 'POST',
    headers: { authorization: `Bearer ${node.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });

beforeAll(async () => {
  // A's batches wait three seconds in its log, so B's wall shows A's event on the raw delta first.
  cluster = await startNodes(2, { env: { FLUSH_MAX_AGE_MS: '3000' } });
  [a, b] = cluster.nodes as [TestApp, TestApp];
}, 180_000);
afterAll(async () => {
  for (const wall of walls) wall.close();
  for (const socket of sockets) socket.close();
  await cluster.close();
});

describe('the live picture across nodes', () => {
  it(
    'an event posted at A is on a wall at B once, pending and stored, then equal to fresh walls',
    { timeout: 90_000 },
    async () => {
      const token = await a.wallToken();
      // The token A created opens B's wall too: tokens are shared through Redis (auth/token-redis.ts).
      const wall = await wallOn(b, token);
      const before = wall.kpi?.checkinsToday ?? Number.NaN;
      const event = checkin({ nodeId: 'S001', ts: Date.now() });
      let lines = 0;
      wall.socket.on('live:tick', (t) => (lines += t.feed.filter((f) => f.id === event.id).length));
      expect((await post(a, [event])).status).toBe(200);

      // Seen at B while A still holds it in its log: A's raw delta, carried by the peers' stream.
      const pending = await until(
        async () => ({ shown: wall.kpi?.checkinsToday, pending: (await health(a)).ingest.pending }),
        (s) => s.shown === before + 1 || s.pending === 0,
      );
      expect(pending).toEqual({ shown: before + 1, pending: 1 });
      // Then A flushes and B reads its store: counted once through the switch, never twice.
      const seen: number[] = [];
      wall.socket.on('live:tick', (t) => seen.push(t.kpi.checkinsToday));
      await until(
        () => health(a),
        (h) => h.ingest.pending === 0,
      );
      const fresh = async (node: TestApp) => {
        const other = await wallOn(node, token);
        const view = other.view(Date.now());
        other.close();
        return view;
      };
      // Equal once B's evaluation after A's flush has landed (a frame or two later).
      const same = await until(
        async () => ({ wall: wall.view(Date.now()), b: await fresh(b), a: await fresh(a) }),
        (v) => JSON.stringify(v.wall) === JSON.stringify(v.b) && JSON.stringify(v.wall) === JSON.stringify(v.a),
        60,
      );
      expect(same.wall).toEqual(same.b);
      expect(same.wall).toEqual(same.a);
      expect(same.wall.kpi?.checkinsToday).toBe(before + 1);
      expect(same.wall.feed.filter((id) => id === event.id)).toHaveLength(1);
      expect(seen.every((n) => n === before + 1)).toBe(true);
      expect(lines).toBe(1);
    },
  );

  it('a panel-query subscriber at B gets the update for appeals posted at A', { timeout: 60_000 }, async () => {
    const socket = socketOn(b, await b.wallToken());
    await new Promise<void>((resolve, reject) => {
      socket.once('live:snapshot', () => resolve());
      socket.once('connect_error', reject);
    });
    const updates: QueryUpdate[] = [];
    socket.on('live:query', (u) => updates.push(u));
    const request: QuerySubscribe = {
      query: 'heat',
      params: { window: '1h', source: 'appeals', category: 'complaint' },
    };
    const result = await new Promise<Result<QueryUpdate>>((resolve) => socket.emit('live:subscribe', request, resolve));
    if (!result.ok) throw new Error(result.error.message);
    const at = { lat: 30.4321, lon: 103.9123 };
    const events = [appealReceived({ category: 'complaint', ...at }), appealReceived({ category: 'complaint', ...at })];
    expect((await post(a, events)).status).toBe(200);
    const point = (u: QueryUpdate) => (u.data as HeatPoint[] | undefined)?.find((p) => p.lat === 30.432);
    const update = await until(
      () => updates.find((u) => u.key === result.data.key && point(u)),
      (u) => u !== undefined,
    );
    expect(update && point(update)).toEqual({ lat: 30.432, lon: 103.912, weight: 2 });
  });

  it('evaluates each scope and panel query once in the cluster, not once per node', { timeout: 120_000 }, async () => {
    // A screen on each node watching the district (every node's hub does) and the same panel query.
    const request: QuerySubscribe = { query: 'trend', params: { metric: 'checkins', window: '24h' } };
    const last = await Promise.all(
      [a, b].map(async (node) => {
        const socket = socketOn(node, await node.wallToken());
        const latest = { json: '' };
        socket.on('live:query', (u) => {
          if (u.data) latest.json = JSON.stringify(u.data);
        });
        await new Promise<void>((resolve) => socket.once('live:snapshot', () => resolve()));
        const result = await new Promise<Result<QueryUpdate>>((resolve) =>
          socket.emit('live:subscribe', request, resolve),
        );
        if (!result.ok) throw new Error(result.error.message);
        latest.json = JSON.stringify(result.data.data);
        return latest;
      }),
    );
    const onDuty = () => [a, b].map((node) => node.app.hub.kpi()?.volunteersActive ?? Number.NaN);
    const evaluations = () => a.app.hub.evaluations + b.app.hub.evaluations;
    // Both nodes settled on the same figures before counting.
    const base = await until(onDuty, ([x, y]) => x === y);
    const start = evaluations();
    const ROUNDS = 4;
    for (let round = 1; round <= ROUNDS; round += 1) {
      const before = last.map((l) => l.json);
      // A volunteer new to the day: on duty counts only on an evaluation, so it shows that each node has one.
      const event = checkin({ volunteerId: `VCLUSTER${round}`, activityId: `ACLUSTER${round}`, ts: Date.now() });
      expect((await post(a, [event])).status).toBe(200);
      const done = await until(
        () => ({ duty: onDuty(), query: last.map((l, i) => l.json !== before[i]) }),
        (s) => s.duty.every((n, i) => n === (base[i] ?? 0) + round) && s.query.every(Boolean),
      );
      expect(done.duty).toEqual(base.map((n) => n + round));
      expect(done.query).toEqual([true, true]);
    }
    const total = evaluations() - start;
    // One node evaluates the district and the query once per round: 2 × ROUNDS. Each node on its
    // own would make twice that; a claim that lapsed under a slow evaluation adds one now and then.
    expect(total).toBeGreaterThanOrEqual(2 * ROUNDS);
    expect(total).toBeLessThan(2 * 2 * ROUNDS);
  });

  it(
    'emergency mode switched at A reaches walls at B at once, and a node started later',
    { timeout: 90_000 },
    async () => {
      const modes: EmergencyState[] = [];
      const socket = socketOn(b, await b.wallToken());
      socket.on('live:mode', (m) => modes.push(m));
      await until(
        () => modes.length,
        (n) => n > 0,
      );
      const admin = await a.login();
      const switched = await a.fetch('/api/v1/emergency', {
        method: 'POST',
        headers: { cookie: admin, 'content-type': 'application/json' },
        body: JSON.stringify({ active: true, message: '防汛应急：全体集结' }),
      });
      expect(switched.status).toBe(200);
      const onB = await until(
        () => modes.at(-1),
        (m) => m?.active === true,
      );
      expect(onB).toMatchObject({ active: true, message: '防汛应急：全体集结' });
      const read = async (node: TestApp) =>
        (await (
          await node.fetch('/api/v1/emergency', { headers: { cookie: await node.login() } })
        ).json()) as EmergencyState;
      expect(await read(b)).toEqual(onB);
      const later = await cluster.addNode();
      expect(await read(later)).toEqual(onB);
      const laterModes: EmergencyState[] = [];
      const laterSocket = socketOn(later, await later.wallToken());
      laterSocket.on('live:mode', (m) => laterModes.push(m));
      const first = await until(
        () => laterModes[0],
        (m) => m !== undefined,
      );
      expect(first).toEqual(onB);
      const off = await a.fetch('/api/v1/emergency', {
        method: 'POST',
        headers: { cookie: admin, 'content-type': 'application/json' },
        body: JSON.stringify({ active: false }),
      });
      expect(off.status).toBe(200);
      expect(
        await until(
          () => laterModes.at(-1)?.active,
          (active) => active === false,
        ),
      ).toBe(false);
    },
  );

  it('a wall token revoked at A drops its socket on another node', { timeout: 90_000 }, async () => {
    const created = await a.createToken({ role: 'wall', label: 'revoked across nodes' });
    // A node started after the token was made reads it from Redis; the end happens only at A.
    const other = await cluster.addNode();
    const socket = socketOn(other, created.token);
    await new Promise<void>((resolve, reject) => {
      socket.once('live:snapshot', () => resolve());
      socket.once('connect_error', reject);
    });
    const reasons: string[] = [];
    socket.on('disconnect', (reason) => reasons.push(reason));
    const admin = await a.login();
    const revoked = await a.fetch(`/api/auth/tokens/${created.info.id}`, {
      method: 'DELETE',
      headers: { cookie: admin },
    });
    expect(revoked.status).toBeLessThan(300);
    expect(
      await until(
        () => reasons[0],
        (r) => r !== undefined,
      ),
    ).toBe('io server disconnect');
  });
});
