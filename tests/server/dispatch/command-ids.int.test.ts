/**
 * A command id names one sender's command, on the real server and real chdb: another dispatcher
 * sending the same id (for a 点单 or a command) is answered for itself, never with the first
 * sender's order; the sender's own retry still gets its first answer; and the SLA timer's command
 * ids cannot be taken by a caller to keep an order from expiring — another town's order or its own.
 * The timer cases need orders requested over 48 h ago: they are made through the server, which is
 * then stopped while their request is moved 49 h back in its store, and started again.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, OrderView } from '../../../shared/dispatch.js';
import type { NetworkNode } from '../../../shared/network.js';
import { SYSTEM_ACTOR } from '../../../server/dispatch/escalation.js';
import { timerCommandId } from '../../../server/dispatch/ids.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import type { Credential } from '../../helpers/auth.js';
import {
  command,
  networkNodes,
  orderDetail,
  postCommand,
  postRequest,
  requestOrder,
  toInstitute,
} from '../../helpers/dispatch.js';
import { eventually, type TestUser } from '../../helpers/server.js';
import { backdateOrders } from '../../helpers/store.js';

const PASSWORD = 'a test password for dispatchers';
const USERS: TestUser[] = [
  { username: 'town-a', password: PASSWORD, role: 'dispatcher', scope: 'I01' },
  { username: 'town-b', password: PASSWORD, role: 'dispatcher', scope: 'I02' },
];
let server: TestApp;
let nodes: NetworkNode[];
let as: Record<'admin' | 'townA' | 'townB', Credential>;

const stationsOf = (town: string) => nodes.filter((n) => n.level === 'station' && n.instituteId === town);
const station = (town: string, i = 0): string => stationsOf(town)[i]?.id ?? '';
/** The id the SLA timer sends for this order's version: what a caller would copy to stop it. */
const timerId = (orderId: string, version: number, action: string): string => timerCommandId(orderId, version, action);

async function logIn(): Promise<void> {
  as = {
    admin: { cookie: await server.login() },
    townA: { cookie: await server.login('town-a', PASSWORD) },
    townB: { cookie: await server.login('town-b', PASSWORD) },
  };
}

beforeAll(async () => {
  server = await startApp({ users: USERS });
  await logIn();
  nodes = await networkNodes(server, as.admin);
});
afterAll(async () => {
  await server.close();
});

describe("another dispatcher's command id", () => {
  it('for a 点单 makes an order of its own, never answers with the first one; the sender’s retry finds its order', async () => {
    const commandId = randomUUID();
    const first = await postRequest(server, as.townA, { commandId, venueId: station('I01'), title: '代购药品 A' });
    expect(first).toMatchObject({ status: 200, ack: { ok: true, data: { replayed: false } } });
    if (!first.ack.ok) throw new Error('no order');
    const mine = first.ack.data.order;

    // Town B, at town A's 站: refused for its scope, not answered with town A's order.
    const outside = await postRequest(server, as.townB, { commandId, venueId: station('I01'), title: '看看' });
    expect(outside.status).toBe(403);
    expect(JSON.stringify(outside.ack)).not.toContain(mine.id);
    // Town B, at its own 站: its own new order.
    const theirs = await postRequest(server, as.townB, { commandId, venueId: station('I02'), title: '助老 B' });
    expect(theirs).toMatchObject({
      status: 200,
      ack: { ok: true, data: { replayed: false, order: { instituteId: 'I02', title: '助老 B', version: 1 } } },
    });
    if (theirs.ack.ok) expect(theirs.ack.data.order.id).not.toBe(mine.id);

    const retried = await postRequest(server, as.townA, {
      commandId,
      venueId: station('I01'),
      title: '代购药品 A',
    });
    expect(retried).toMatchObject({ status: 200, ack: { ok: true, data: { replayed: true, order: { id: mine.id } } } });
  });

  it('for a command is decided for its sender; the first sender’s retry still gets its answer', async () => {
    const order = await requestOrder(server, as.admin, station('I01'), '代购药品 C');
    const accept = command(order.id, order.version, { type: 'accept' });
    expect(await postCommand(server, as.admin, order.id, accept)).toMatchObject({ status: 200 });

    const copied = await postCommand(server, as.townB, order.id, accept);
    expect(copied.status).toBe(403);
    expect(copied.ack).toMatchObject({ ok: false, error: { code: 'AUTH_FORBIDDEN' } });
    expect(JSON.stringify(copied.ack)).not.toContain('代购药品 C');

    const retried = await postCommand(server, as.admin, order.id, accept);
    expect(retried).toMatchObject({ status: 200, ack: { ok: true, data: { replayed: true, order: { version: 2 } } } });
  });
});

describe('the SLA timer’s command ids', () => {
  let ofB: OrderView;
  let ofA: OrderView;

  /** A claimed order of `town` (claimed: the 48-hour rule leaves it alone until it is unclaimed again). */
  async function claimed(town: string, title: string): Promise<OrderView> {
    const atInstitute = await toInstitute(server, as.admin, await requestOrder(server, as.admin, station(town), title));
    const candidates = (await (
      await server.fetch(`${server.url}/api/v1/orders/${atInstitute.id}/candidates?limit=1`, {
        headers: { cookie: (as.admin as { cookie: string }).cookie },
      })
    ).json()) as { kind: string; id: string }[];
    const [top] = candidates;
    if (!top) throw new Error(`no candidate for ${atInstitute.id}`);
    const answer = await postCommand(
      server,
      as.admin,
      atInstitute.id,
      command(atInstitute.id, atInstitute.version, { type: 'reassign', target: { kind: top.kind, id: top.id } }),
    );
    if (!answer.ack.ok) throw new Error(answer.ack.error.code);
    expect(answer.ack.data.order.state).toBe('claimed');
    return answer.ack.data.order;
  }

  /** The timer's first attempt to expire the order, from the audit trail (written every few seconds). */
  const timerAttempt = (orderId: string): Promise<AuditEntry> =>
    eventually(async () => {
      const { timeline } = await orderDetail(server, as.admin, orderId);
      return timeline.find((e) => e.actorName === SYSTEM_ACTOR.name && e.action === 'expire');
    }, 500);

  beforeAll(async () => {
    ofB = await claimed('I02', '助老 B');
    ofA = await claimed('I01', '代购药品 A');
    expect(await server.stop()).toBe(0);
    await backdateOrders(server.dataDir, [ofA.id, ofB.id], 49);
    server = await startApp({ dataDir: server.dataDir, users: USERS });
    await logIn();
    // Claimed orders have no time limit the timer acts on: still as they were after the restart.
    expect((await orderDetail(server, as.admin, ofB.id)).order).toMatchObject({
      state: 'claimed',
      version: ofB.version,
    });
  });

  it('sent by another town for its order: the timer expires the order anyway', async () => {
    const next = ofB.version + 1;
    const taken = timerId(ofB.id, next, 'expire');
    await postCommand(server, as.townA, ofB.id, {
      commandId: taken,
      orderId: ofB.id,
      expectedVersion: next,
      type: 'expire',
    });
    // Town B sends the order back to a 站: unclaimed, and requested 49 h ago, so the timer expires it.
    const back = await postCommand(
      server,
      as.townB,
      ofB.id,
      command(ofB.id, ofB.version, { type: 'reassign', target: { kind: 'station', id: station('I02', 1) } }),
    );
    expect(back).toMatchObject({
      status: 200,
      ack: { ok: true, data: { order: { state: 'dispatched_station', version: next } } },
    });
    const attempt = await timerAttempt(ofB.id);
    expect(attempt).toMatchObject({ result: 'ok', code: '', beforeVersion: next, afterState: 'expired' });
    expect((await orderDetail(server, as.admin, ofB.id)).order).toMatchObject({
      state: 'expired',
      version: next + 1,
    });
  });

  it('used by a town on its own order ahead of time: the timer expires the order anyway', async () => {
    const next = ofA.version + 1;
    // The town's own step, under the id the timer will send for the version it makes.
    const ahead = await postCommand(server, as.townA, ofA.id, {
      commandId: timerId(ofA.id, next, 'expire'),
      orderId: ofA.id,
      expectedVersion: ofA.version,
      type: 'reassign',
      target: { kind: 'station', id: station('I01', 1) },
    });
    if (ahead.status !== 200) {
      // Refused (the id is not one a caller may use): the town makes the same step under an id of its own.
      const own = await postCommand(
        server,
        as.townA,
        ofA.id,
        command(ofA.id, ofA.version, { type: 'reassign', target: { kind: 'station', id: station('I01', 1) } }),
      );
      expect(own.status).toBe(200);
    }
    const attempt = await timerAttempt(ofA.id);
    expect(attempt).toMatchObject({ result: 'ok', code: '', beforeVersion: next, afterState: 'expired' });
    expect((await orderDetail(server, as.admin, ofA.id)).order).toMatchObject({
      state: 'expired',
      version: next + 1,
    });
  });
});
