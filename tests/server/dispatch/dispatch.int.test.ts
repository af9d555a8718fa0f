/**
 * The dispatch console on the real server and real chdb: two dispatchers racing reassignments,
 * retried command ids, the audit read back from ClickHouse, a restart rebuilding the same orders,
 * and every forbidden path (a wall, a leader, another town's dispatcher, malformed commands).
 */
import fc from 'fast-check';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISPATCH_NAMESPACE, type OrderView } from '../../../shared/dispatch.js';
import type { NetworkNode } from '../../../shared/network.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { handshake, socketFor, type Credential } from '../../helpers/auth.js';
import {
  command,
  emitCommand,
  networkNodes,
  orderDetail,
  postCommand,
  overRest,
  overSocket,
  raceReassignments,
  requestOrder,
  toInstitute,
} from '../../helpers/dispatch.js';

const PASSWORD = 'a test password for dispatchers';
const ORDERS = 5;
/** No SLA timer moving orders under the test; the race sends faster than a person's socket may. */
const ENV = { DISPATCH_AUTO_ESCALATE: '0', SOCKET_EVENTS_PER_SECOND: '100000' };
const ROUNDS = 200;
let server: TestApp;
let nodes: NetworkNode[];
let as: Record<'admin' | 'd1' | 'd2' | 'townA' | 'townB' | 'leader' | 'wall', Credential>;
const sockets: Socket[] = [];

const stationsOf = (town: string) => nodes.filter((n) => n.level === 'station' && n.instituteId === town);
const connect = async (credential: Credential): Promise<Socket> => {
  const socket = socketFor(server.url, DISPATCH_NAMESPACE, credential);
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
};

beforeAll(async () => {
  server = await startApp({
    env: ENV,
    users: [
      { username: 'd1', password: PASSWORD, role: 'dispatcher', scope: 'district' },
      { username: 'd2', password: PASSWORD, role: 'dispatcher', scope: 'district' },
      { username: 'town-a', password: PASSWORD, role: 'dispatcher', scope: 'I01' },
      { username: 'town-b', password: PASSWORD, role: 'dispatcher', scope: 'I02' },
      { username: 'leader', password: PASSWORD, role: 'leader' },
    ],
  });
  as = {
    admin: { cookie: await server.login() },
    d1: { cookie: await server.login('d1', PASSWORD) },
    d2: { cookie: await server.login('d2', PASSWORD) },
    townA: { cookie: await server.login('town-a', PASSWORD) },
    townB: { cookie: await server.login('town-b', PASSWORD) },
    leader: { cookie: await server.login('leader', PASSWORD) },
    wall: { token: await server.wallToken() },
  };
  nodes = await networkNodes(server, as.admin);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server.close();
});

describe('two dispatchers racing', () => {
  it('reassign the same orders 1,000 times each: one winner per version, no lost update, the audit complete and in order', async () => {
    const [s1, s2] = stationsOf('I01');
    if (!s1 || !s2) throw new Error('I01 needs two stations');
    const orders: OrderView[] = [];
    for (let i = 0; i < ORDERS; i++)
      orders.push(await toInstitute(server, as.admin, await requestOrder(server, as.admin, s1.id)));
    const d1 = await connect(as.d1);
    const watcher = await connect(as.d2);
    const seen = new Map<string, number>();
    watcher.on('dispatch:order', ({ order }: { order: OrderView }) =>
      seen.set(order.id, Math.max(seen.get(order.id) ?? 0, order.version)),
    );

    // d1 over the socket, d2 over REST, both naming the version they last saw.
    const { sent, winners } = await raceReassignments(
      orders,
      ROUNDS,
      overSocket(d1, s1.id),
      overRest(server, as.d2, s2.id),
    );

    for (const start of orders) {
      const { order, timeline } = await orderDetail(server, as.admin, start.id);
      const wins = winners.get(start.id) ?? [];
      // No lost update: the order is where the last winner put it, at the last winner's version.
      expect(order.version).toBe(start.version + ROUNDS);
      expect(order.stationId).toBe(wins[wins.length - 1]?.stationId);
      // The audit (read back from ClickHouse) holds every attempt once, in the order they were handled.
      const attempts = timeline.filter((e) => e.action === 'reassign');
      expect(attempts.map((e) => e.commandId).sort()).toEqual([...(sent.get(start.id) ?? [])].sort());
      expect(timeline.map((e) => e.seq)).toEqual([...timeline.map((e) => e.seq)].sort((x, y) => x - y));
      const accepted = attempts.filter((e) => e.result === 'ok');
      expect(accepted.map((e) => e.afterVersion)).toEqual(wins.map((w) => w.version));
      for (const e of accepted) expect(e.afterVersion).toBe(e.beforeVersion + 1);
      expect(attempts.filter((e) => e.result === 'refused').every((e) => e.code === 'ORDER_STALE_VERSION')).toBe(true);
    }
    // The other dispatcher saw every order reach its final version live.
    await expect.poll(() => orders.every((o) => seen.get(o.id) === o.version + ROUNDS)).toBe(true);
  });
});

describe('forbidden paths', () => {
  it('a wall, a leader and an anonymous caller can neither connect nor command', async () => {
    const [station] = stationsOf('I01');
    const order = await requestOrder(server, as.admin, station?.id ?? '');
    const body = command(order.id, order.version, { type: 'accept' });
    expect(await handshake(server.url, DISPATCH_NAMESPACE, as.wall)).toBe('AUTH_FORBIDDEN');
    expect(await handshake(server.url, DISPATCH_NAMESPACE, as.leader)).toBe('AUTH_FORBIDDEN');
    expect(await handshake(server.url, DISPATCH_NAMESPACE, null)).toBe('AUTH_UNAUTHENTICATED');
    expect((await postCommand(server, as.wall, order.id, body)).status).toBe(403);
    expect((await postCommand(server, as.leader, order.id, body)).status).toBe(403);
    expect((await postCommand(server, null, order.id, body)).status).toBe(401);
    const list = await server.fetch(`${server.url}/api/v1/orders`, {
      headers: { authorization: `Bearer ${(as.wall as { token: string }).token}` },
    });
    expect(list.status).toBe(403);
    expect((await orderDetail(server, as.admin, order.id)).order.version).toBe(1);
  });

  it("keeps a town's dispatcher to its town: no other town's orders, targets or center steps", async () => {
    const [a1] = stationsOf('I01');
    const [b1] = stationsOf('I02');
    const mine = await toInstitute(server, as.admin, await requestOrder(server, as.admin, a1?.id ?? ''));
    const theirs = await toInstitute(server, as.admin, await requestOrder(server, as.admin, b1?.id ?? ''));
    const townA = await connect(as.townA);
    const pushed: string[] = [];
    townA.on('dispatch:order', ({ order }: { order: OrderView }) => pushed.push(order.id));

    const onTheirs = command(theirs.id, theirs.version, {
      type: 'reassign',
      target: { kind: 'station', id: b1?.id ?? '' },
    });
    expect(await emitCommand(townA, onTheirs)).toMatchObject({ ok: false, error: { code: 'AUTH_FORBIDDEN' } });
    const rest = await postCommand(server, as.townA, theirs.id, { ...onTheirs, commandId: crypto.randomUUID() });
    expect(rest.status).toBe(403);
    expect(rest.ack).not.toHaveProperty('error.order');
    const outOfTown = command(mine.id, mine.version, {
      type: 'reassign',
      target: { kind: 'station', id: b1?.id ?? '' },
    });
    // The order rules refuse it first: only the center moves an order to another town (shared/orders.ts).
    expect(await emitCommand(townA, outOfTown)).toMatchObject({
      ok: false,
      error: { code: 'ORDER_TARGET_OUT_OF_TOWN' },
    });
    const fresh = await requestOrder(server, as.admin, a1?.id ?? '');
    const centerStep = command(fresh.id, fresh.version, { type: 'accept' });
    expect(await emitCommand(townA, centerStep)).toMatchObject({ ok: false, error: { code: 'AUTH_FORBIDDEN' } });

    const list = (await (
      await server.fetch(`${server.url}/api/v1/orders`, {
        headers: { cookie: (as.townA as { cookie: string }).cookie },
      })
    ).json()) as { orders: OrderView[] };
    expect(list.orders.length).toBeGreaterThan(0);
    expect(list.orders.every((o) => o.instituteId === 'I01')).toBe(true);
    const other = await server.fetch(`${server.url}/api/v1/orders?town=I02`, {
      headers: { cookie: (as.townA as { cookie: string }).cookie },
    });
    expect(other.status).toBe(403);

    // Town B's change, then town A's: pushes keep their order, so had B's reached A it would be first.
    const b = await postCommand(
      server,
      as.townB,
      theirs.id,
      command(theirs.id, theirs.version, { type: 'dispatch_station', stationId: b1?.id ?? '' }),
    );
    expect(b.status).toBe(200);
    const a = await emitCommand(
      townA,
      command(mine.id, mine.version, { type: 'dispatch_station', stationId: a1?.id ?? '' }),
    );
    expect(a.ok).toBe(true);
    await expect.poll(() => pushed.includes(mine.id)).toBe(true);
    expect(pushed).not.toContain(theirs.id);
    const { order, timeline } = await orderDetail(server, as.admin, theirs.id);
    expect(order.version).toBe(theirs.version + 1);
    expect(timeline.filter((e) => e.actorId === 'town-a').map((e) => `${e.result}:${e.code}`)).toEqual([
      'refused:AUTH_FORBIDDEN',
      'refused:AUTH_FORBIDDEN',
    ]);
  });

  it('refuses malformed commands with a clear error and writes nothing', async () => {
    const [station] = stationsOf('I01');
    const order = await requestOrder(server, as.admin, station?.id ?? '');
    const d1 = await connect(as.d1);
    const good = command(order.id, order.version, { type: 'accept' });
    const bad: unknown[] = [
      { ...good, expectedVersion: undefined },
      { ...good, type: 'teleport' },
      { ...good, commandId: 'not-a-uuid' },
      { ...good, extra: 1 },
      { ...good, expectedVersion: -1 },
      { ...good, type: 'rate', score: 9 },
      { ...good, type: 'claim', assignee: { kind: 'robot', id: 'V1' } },
      'accept',
      null,
    ];
    for (const body of bad) {
      expect(await emitCommand(d1, body)).toMatchObject({ ok: false, error: { code: 'REQ_VALIDATION' } });
      const rest = await postCommand(server, as.d1, order.id, body);
      expect(rest.status).toBe(400);
      expect(rest.ack).toMatchObject({ ok: false, error: { code: 'REQ_VALIDATION' } });
    }
    const mismatch = await postCommand(server, as.d1, order.id, { ...good, orderId: 'ORD-OTHER' });
    expect(mismatch.status).toBe(400);
    const unknown = await postCommand(server, as.d1, 'ORD-NOPE', { ...good, orderId: 'ORD-NOPE' });
    expect(unknown.status).toBe(404);
    const { order: now, timeline } = await orderDetail(server, as.admin, order.id);
    expect(now.version).toBe(1);
    expect(timeline.map((e) => e.action)).toEqual(['request']);
  });
});

describe('fuzzing the dispatch surface', () => {
  it('answers arbitrary bodies and socket payloads with documented refusals, writes nothing, keeps serving', async () => {
    const [station] = stationsOf('I01');
    const order = await requestOrder(server, as.admin, station?.id ?? '');
    const d1 = await connect(as.d1);
    const events = ['dispatch:command', 'dispatch:request', 'dispatch:note', 'dispatch:candidates', 'dispatch:resync'];
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(fc.anything(), fc.constantFrom(...events), async (junk, event) => {
        const rest = await postCommand(server, as.d1, order.id, junk);
        statuses.add(rest.status);
        expect([400, 404, 409]).toContain(rest.status);
        const ack = await new Promise<{ ok: boolean }>((resolve) =>
          event === 'dispatch:resync' ? d1.emit(event, resolve) : d1.emit(event, junk, resolve),
        );
        expect(ack.ok).toBe(event === 'dispatch:resync');
        d1.emit('dispatch:view', junk);
      }),
      { numRuns: 300 },
    );
    expect(statuses.has(400)).toBe(true);
    const { order: now, timeline } = await orderDetail(server, as.admin, order.id);
    expect(now.version).toBe(1);
    expect(timeline.map((e) => e.action)).toEqual(['request']);
  });
});

describe('double-booking without the rule', () => {
  it('warns, and books the volunteer on both orders', async () => {
    const [station] = stationsOf('I03');
    const d1 = await connect(as.d1);
    const ready = async () => {
      const o = await toInstitute(server, as.admin, await requestOrder(server, as.admin, station?.id ?? ''));
      const ack = await emitCommand(
        d1,
        command(o.id, o.version, { type: 'dispatch_station', stationId: station?.id ?? '' }),
      );
      if (!ack.ok) throw new Error(ack.error.code);
      return ack.data.order;
    };
    const [a, b] = [await ready(), await ready()];
    const ranked = await new Promise<{ ok: boolean; data?: { kind: string; id: string }[] }>((resolve) =>
      d1.emit('dispatch:candidates', { orderId: a.id }, resolve),
    );
    const volunteer = ranked.data?.find((c) => c.kind === 'volunteer');
    if (!volunteer) throw new Error('no volunteer candidates');
    const assignee = { kind: 'volunteer', id: volunteer.id };
    expect(await emitCommand(d1, command(a.id, a.version, { type: 'claim', assignee }))).toMatchObject({
      ok: true,
      data: { warnings: [] },
    });
    expect(await emitCommand(d1, command(b.id, b.version, { type: 'claim', assignee }))).toMatchObject({
      ok: true,
      data: { order: { assignee }, warnings: [{ code: 'VOLUNTEER_DOUBLE_BOOKED' }] },
    });
  });
});

describe('retries and restarts', () => {
  it('a retried command id changes state once and answers the first result', async () => {
    const [station] = stationsOf('I01');
    const order = await requestOrder(server, as.admin, station?.id ?? '');
    const accept = command(order.id, order.version, { type: 'accept' });
    const d1 = await connect(as.d1);
    const [first, second] = await Promise.all([emitCommand(d1, accept), emitCommand(d1, accept)]);
    const third = await postCommand(server, as.d1, order.id, accept);
    expect(first).toMatchObject({ ok: true, data: { order: { version: 2, state: 'accepted_by_center' } } });
    expect(second).toMatchObject({ ok: true, data: { order: { version: 2 }, replayed: true } });
    expect(third).toMatchObject({ status: 200, ack: { ok: true, data: { order: { version: 2 }, replayed: true } } });
    const { order: now, timeline } = await orderDetail(server, as.admin, order.id);
    expect(now.version).toBe(2);
    expect(
      timeline
        .filter((e) => e.commandId === accept.commandId)
        .map((e) => e.result)
        .sort(),
    ).toEqual(['ok', 'replayed', 'replayed']);
  });

  it('a restart rebuilds the same open orders from ClickHouse, and a retry across it writes nothing', async () => {
    const [station] = stationsOf('I02');
    const order = await toInstitute(server, as.admin, await requestOrder(server, as.admin, station?.id ?? ''));
    const claim = command(order.id, order.version, {
      type: 'reassign',
      target: { kind: 'station', id: station?.id ?? '' },
    });
    const claimed = await postCommand(server, as.admin, order.id, claim);
    expect(claimed.status).toBe(200);
    const before = (await orderDetail(server, as.admin, order.id)).order;
    for (const s of sockets.splice(0)) s.close();
    expect(await server.stop()).toBe(0);
    server = await startApp({
      dataDir: server.dataDir,
      env: ENV,
      users: [],
    });
    as.admin = { cookie: await server.login() };
    const after = (await orderDetail(server, as.admin, order.id)).order;
    expect({ ...after, history: [] }).toEqual({ ...before, history: [] });
    expect(after.history.map((h) => h.to)).toEqual(before.history.map((h) => h.to));
    const retried = await postCommand(server, as.admin, order.id, claim);
    expect(retried).toMatchObject({
      status: 200,
      ack: { ok: true, data: { replayed: true, order: { version: before.version } } },
    });
  });
});
