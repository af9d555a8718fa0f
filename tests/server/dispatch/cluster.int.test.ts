/**
 * Dispatch across two nodes (issue 18.2, 18.4) on one ClickHouse server process and one Redis:
 * dispatchers on different nodes race reassignments of the same orders — one winner per version
 * (the compare-and-set in Redis, server/dispatch/order-versions.ts), the loser refused with the
 * current version, every attempt audited once, the orders equal on both nodes and in ClickHouse,
 * each node's console pushes numbered without a gap; a note and presence cross nodes; an offer made
 * at A rings the volunteer's phone on B and is accepted there; a restarted node keeps its offers.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISPATCH_NAMESPACE, type Note, type OrderView, type Viewer } from '../../../shared/dispatch.js';
import { FIELD_NAMESPACE, type FieldSnapshot, type FieldStep, type Offer, type Task } from '../../../shared/field.js';
import type { NetworkNode } from '../../../shared/network.js';
import type { Result } from '../../../shared/result.js';
import { openOrders, transitionsOf } from '../../../server/store/orders-repository.js';
import type { TestApp } from '../../helpers/app.js';
import type { Credential } from '../../helpers/auth.js';
import {
  command,
  networkNodes,
  orderDetail,
  postCommand,
  overRest,
  overSocket,
  raceReassignments,
  requestOrder,
  toInstitute,
} from '../../helpers/dispatch.js';
import { startNodes, type TestNodes } from '../../helpers/nodes.js';
import { connectLogged, seen as seenIn, type EventLog } from '../../helpers/socket-events.js';
import { eventually } from '../../helpers/server.js';
import {
  loginVolunteer,
  offerOrder,
  orderAtStation,
  readyVolunteer,
  type TestVolunteer,
} from '../../helpers/volunteer.js';

const PASSWORD = 'a test password for dispatchers';
/** No SLA timer moving orders under the test; the race sends faster than a person's socket may. */
const ENV = { DISPATCH_AUTO_ESCALATE: '0', SOCKET_EVENTS_PER_SECOND: '100000' };
const ORDERS = 5;
/** 5 orders × 100 rounds: 500 reassignments won, 500 refused. */
const ROUNDS = 100;
const USERS = [
  { username: 'd1', password: PASSWORD, role: 'dispatcher' as const, scope: 'district' },
  { username: 'd2', password: PASSWORD, role: 'dispatcher' as const, scope: 'district' },
];

let cluster: TestNodes;
let a: TestApp;
let b: TestApp;
let nodes: NetworkNode[];
let adminA: { cookie: string };
let volunteer: TestVolunteer;
const sockets: Socket[] = [];
type ViewingUpdate = { orderId: string; viewers: Viewer[] };
/** The volunteer's phone logs in at this node (its session is in Redis, good on every node). */
const loginAt = async (node: TestApp): Promise<string> =>
  (await loginVolunteer(node, volunteer.phone, volunteer.password)).cookie;

async function watch(node: TestApp, namespace: string, credential: Credential): Promise<EventLog> {
  const logged = await connectLogged(node.url, namespace, credential);
  sockets.push(logged.socket);
  return logged;
}
/** A push from another node comes through Redis: a little more time than on one node. */
const seen = (events: [string, unknown][], name: string, match: (payload: never) => boolean) =>
  seenIn(events, name, match, 15_000);
const stationsOf = (town: string) => nodes.filter((n) => n.level === 'station' && n.instituteId === town);
/** The order as a node's console reads it, without what is the node's own (nothing is). */
const viewOn = async (node: TestApp, credential: Credential, id: string): Promise<OrderView> =>
  (await orderDetail(node, credential, id)).order;

beforeAll(async () => {
  cluster = await startNodes(1, { env: ENV, users: USERS });
  a = cluster.nodes[0] as TestApp;
  adminA = { cookie: await a.login() };
  // Approved before B starts: B reads it at its start (a later one it would read on its first miss).
  volunteer = await readyVolunteer(a, adminA.cookie, { instituteId: 'I01' });
  b = await cluster.addNode();
  nodes = await networkNodes(a, adminA);
}, 240_000);
afterAll(async () => {
  for (const s of sockets) s.close();
  await cluster.close();
});

describe('dispatchers on two nodes', () => {
  it(
    'race 500 reassignments of the same orders: one winner per version, the audit complete, the orders equal on both nodes and in ClickHouse',
    { timeout: 600_000 },
    async () => {
      const [s1, s2] = stationsOf('I01');
      if (!s1 || !s2) throw new Error('I01 needs two stations');
      const d1: Credential = { cookie: await a.login('d1', PASSWORD) };
      const d2: Credential = { cookie: await b.login('d2', PASSWORD) };
      const orders: OrderView[] = [];
      for (let i = 0; i < ORDERS; i++) orders.push(await toInstitute(a, d1, await requestOrder(a, d1, s1.id)));
      const onA = await watch(a, DISPATCH_NAMESPACE, d1);
      const onB = await watch(b, DISPATCH_NAMESPACE, d2);

      // d1 over A's socket, d2 over B's REST, both naming the version they last saw.
      const { sent, winners } = await raceReassignments(
        orders,
        ROUNDS,
        overSocket(onA.socket, s1.id),
        overRest(b, d2, s2.id),
      );

      const wonAt = (o: OrderView) => (winners.get(o.id) ?? []).map((w) => w.stationId);
      const both = [...winners.values()].flat();
      // Both nodes won some (the staged rounds see to it): each refused the version the other wrote.
      expect(new Set(both.map((w) => w.stationId)).size).toBe(2);
      for (const start of orders) {
        const last = wonAt(start).at(-1);
        const [viewA, viewB] = [await viewOn(a, d1, start.id), await viewOn(b, d2, start.id)];
        expect(viewA).toMatchObject({ version: start.version + ROUNDS, stationId: last });
        // The two nodes' projections are the same order, its history included.
        expect(viewB).toEqual(viewA);
      }

      // Every accepted command audited once and every refusal audited, read back from ClickHouse
      // after both nodes wrote their audit (each detail read flushes that node's).
      for (const start of orders) {
        await orderDetail(a, d1, start.id);
        const { timeline } = await orderDetail(b, d2, start.id);
        const attempts = timeline.filter((e) => e.action === 'reassign');
        expect(attempts.map((e) => e.commandId).sort()).toEqual([...(sent.get(start.id) ?? [])].sort());
        const accepted = attempts.filter((e) => e.result === 'ok').sort((p, q) => p.afterVersion - q.afterVersion);
        expect(accepted.map((e) => e.afterVersion)).toEqual((winners.get(start.id) ?? []).map((w) => w.version));
        for (const e of accepted) expect(e.afterVersion).toBe(e.beforeVersion + 1);
        const refusals = attempts.filter((e) => e.result !== 'ok');
        expect(refusals).toHaveLength(ROUNDS);
        expect(refusals.every((e) => e.result === 'refused' && e.code === 'ORDER_STALE_VERSION')).toBe(true);
      }

      // ClickHouse: one transition per version, and the same order as both projections, once both
      // nodes' logs reached it.
      const ids = orders.map((o) => o.id);
      await expect
        .poll(
          async () => {
            const counts = await a.app.store.query<{ order: string; n: string; versions: string; top: string }>(
              `SELECT subject_id AS order, uniqExact(id) AS n, uniqExact(version) AS versions, max(version) AS top
               FROM events WHERE type = 'order.transition' AND subject_id IN {ids:Array(String)}
               GROUP BY subject_id ORDER BY subject_id`,
              { ids },
            );
            return counts.map((c) => [c.order, Number(c.n), Number(c.versions), Number(c.top)]);
          },
          { timeout: 60_000 },
        )
        .toEqual(
          [...orders]
            .sort((p, q) => (p.id < q.id ? -1 : 1))
            .map((o) => [o.id, o.version + ROUNDS, o.version + ROUNDS, o.version + ROUNDS]),
        );
      const stored = await openOrders(a.app.store, Date.now() - 86_400_000);
      const transitions = await transitionsOf(a.app.store, ids);
      for (const start of orders) {
        const view = await viewOn(b, d2, start.id);
        const row = stored.find((r) => r.id === start.id);
        expect(row).toMatchObject({ version: view.version, state: view.state, last_node: view.stationId });
        const last = transitions.filter((t) => t.order_id === start.id).slice(-view.history.length);
        expect(last.map((t) => [t.version, t.state])).toEqual(view.history.map((h) => [h.version, h.to]));
      }

      // Both consoles saw every order reach its final version, each through its own node's pushes,
      // numbered without a gap or a repeat (a push from the other node would break the numbering).
      for (const w of [onA, onB]) {
        await expect
          .poll(() => {
            const latest = new Map<string, number>();
            for (const [name, p] of w.events) {
              if (name !== 'dispatch:order') continue;
              const { order } = p as { order: OrderView };
              latest.set(order.id, Math.max(latest.get(order.id) ?? 0, order.version));
            }
            return orders.every((o) => latest.get(o.id) === o.version + ROUNDS);
          })
          .toBe(true);
        const seqs = w.events
          .filter(([name]) => name === 'dispatch:order' || name === 'dispatch:volunteer')
          .map(([, p]) => (p as { seq: number }).seq);
        const first = seqs[0] ?? 0;
        expect(seqs).toEqual(seqs.map((_, i) => first + i));
      }
    },
  );

  it('a note written at A and presence at A reach the console on B', { timeout: 60_000 }, async () => {
    const [station] = stationsOf('I01');
    const d1: Credential = { cookie: await a.login('d1', PASSWORD) };
    const d2: Credential = { cookie: await b.login('d2', PASSWORD) };
    const order = await requestOrder(a, d1, station?.id ?? '');
    const onA = await watch(a, DISPATCH_NAMESPACE, d1);
    const onB = await watch(b, DISPATCH_NAMESPACE, d2);
    const note = await new Promise<Result<Note>>((resolve) =>
      onA.socket.emit('dispatch:note', { orderId: order.id, text: '我先联系群众' }, resolve),
    );
    expect(note.ok).toBe(true);
    await seen(onB.events, 'dispatch:note', (n: Note) => n.orderId === order.id && n.text === '我先联系群众');
    // Once on each console, whichever node it was written at.
    expect(onB.events.filter(([name, p]) => name === 'dispatch:note' && (p as Note).orderId === order.id)).toHaveLength(
      1,
    );

    onA.socket.emit('dispatch:view', order.id);
    await seen(
      onB.events,
      'dispatch:viewing',
      (v: ViewingUpdate) => v.orderId === order.id && v.viewers.some((x) => x.name === 'd1'),
    );
    onA.socket.close();
    await seen(onB.events, 'dispatch:viewing', (v: ViewingUpdate) => v.orderId === order.id && v.viewers.length === 0);
  });

  it(
    'with Redis away a command is refused at once with SHARED_UNAVAILABLE (503), nothing written; the same command goes through once it is back',
    { timeout: 120_000 },
    async () => {
      const [s1, s2] = stationsOf('I01');
      if (!s1 || !s2) throw new Error('I01 needs two stations');
      const d1: Credential = { cookie: await a.login('d1', PASSWORD) };
      const order = await toInstitute(a, d1, await requestOrder(a, d1, s1.id));
      const d2: Credential = { cookie: await b.login('d2', PASSWORD) };
      const body = command(order.id, order.version, { type: 'reassign', target: { kind: 'station', id: s2.id } });
      await cluster.redis.kill();
      try {
        // Signed-in dispatchers are still admitted (their sessions and accounts in memory stand).
        for (const [node, who] of [
          [a, d1],
          [b, d2],
        ] as const) {
          const away = await postCommand(node, who, order.id, body);
          expect(away.status).toBe(503);
          expect(away.ack).toMatchObject({ ok: false, error: { code: 'SHARED_UNAVAILABLE' } });
        }
        expect((await viewOn(a, d1, order.id)).version).toBe(order.version);
      } finally {
        await cluster.restartRedis();
      }
      const back = await eventually(async () => {
        const answer = await postCommand(a, d1, order.id, body);
        return answer.status === 503 ? undefined : answer;
      });
      expect(back.status).toBe(200);
      expect(back.ack).toMatchObject({ ok: true, data: { order: { version: order.version + 1, stationId: s2.id } } });
    },
  );
});

describe('offers across nodes', () => {
  const step = (socket: Socket, body: Omit<Extract<FieldStep, { type: 'accept' }>, 'commandId'>) =>
    new Promise<Result<Task>>((resolve) => socket.emit('field:step', { ...body, commandId: randomUUID() }, resolve));

  it(
    'an offer made at A rings the phone on B, which accepts it there; A sees it taken',
    { timeout: 60_000 },
    async () => {
      const console = await watch(a, DISPATCH_NAMESPACE, adminA);
      const phone = await watch(b, FIELD_NAMESPACE, { cookie: await loginAt(b) });
      await seen(phone.events, 'field:snapshot', (s: FieldSnapshot) => Array.isArray(s.tasks));
      const order = await orderAtStation(a, adminA, volunteer.stationId);
      expect(await offerOrder(a, adminA.cookie, order.id, volunteer.id)).toMatchObject({
        status: 201,
        body: { status: 'open' },
      });
      await seen(phone.events, 'field:offer', (t: Task) => t.orderId === order.id && t.offer !== null);
      const accepted = await step(phone.socket, { type: 'accept', orderId: order.id, expectedVersion: order.version });
      expect(accepted).toMatchObject({ ok: true, data: { state: 'claimed' } });
      await seen(
        console.events,
        'dispatch:order',
        (p: { order: OrderView }) => p.order.id === order.id && p.order.assignee?.id === volunteer.id,
      );
      await seen(console.events, 'dispatch:offer', (o: Offer) => o.orderId === order.id && o.status === 'accepted');
      // Offering it again at B, the order no longer waits at the station: refused, nothing rings.
      expect((await offerOrder(b, adminA.cookie, order.id, volunteer.id)).status).toBe(409);
    },
  );

  it('a node restarted keeps its offers: shown on the phone, not rung again', { timeout: 180_000 }, async () => {
    const order = await orderAtStation(a, adminA, volunteer.stationId);
    const first = await offerOrder(a, adminA.cookie, order.id, volunteer.id);
    expect(first).toMatchObject({ status: 201, body: { status: 'open' } });
    const { dataDir, port } = a;
    expect(await a.stop()).toBe(0);
    cluster.nodes.splice(cluster.nodes.indexOf(a), 1);
    a = await cluster.addNode({ dataDir, port, nodeId: 'node-1' });
    adminA = { cookie: await a.login() };

    const offers = await a.fetch(`/api/v1/orders/${order.id}/offers`, { headers: { cookie: adminA.cookie } });
    expect(await offers.json()).toMatchObject({ offers: [{ volunteerId: volunteer.id, status: 'open' }] });
    const phone = await watch(a, FIELD_NAMESPACE, { cookie: await loginAt(a) });
    await seen(phone.events, 'field:snapshot', (s: FieldSnapshot) =>
      s.tasks.some((t) => t.orderId === order.id && t.offer !== null),
    );
    // Offering again answers the offer kept, and rings no phone.
    const again = await offerOrder(a, adminA.cookie, order.id, volunteer.id);
    expect(again.body).toEqual(first.body);
    const rung = () => phone.events.filter(([n, p]) => n === 'field:offer' && (p as Task).orderId === order.id);
    expect(rung()).toHaveLength(0);
  });
});
