/**
 * The field loop on the real server: a dispatcher offers an order to a volunteer (派给志愿者), it
 * rings on their `/field` socket, they accept (their own `claim`), start and complete it, and the
 * console's `/dispatch` socket sees each step at once; a decline with its reason reaches the console;
 * another volunteer cannot act on it; logout and disabling end the volunteer's socket.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISPATCH_NAMESPACE, type OrderDetail, type OrderView } from '../../../shared/dispatch.js';
import { FIELD_NAMESPACE, type FieldSnapshot, type FieldStep, type Offer, type Task } from '../../../shared/field.js';
import type { Result } from '../../../shared/result.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { socketFor } from '../../helpers/auth.js';
import { orderDetail } from '../../helpers/dispatch.js';
import { connectLogged, seen, type EventLog } from '../../helpers/socket-events.js';
import { outcome } from '../../helpers/socket-watch.js';
import {
  decideVolunteer,
  offerOrder,
  orderAtStation,
  readyVolunteer,
  type TestVolunteer,
} from '../../helpers/volunteer.js';

const PASSWORD = 'a test password for people';
let server: TestApp;
let admin: string;
let desk: string;
let other: string;
const sockets: Socket[] = [];

/** A socket whose every event is kept, in order, for `seen` to search. */
async function watch(namespace: string, cookie: string): Promise<EventLog> {
  const logged = await connectLogged(server.url, namespace, { cookie });
  sockets.push(logged.socket);
  return logged;
}
/** A step as the phone sends it, with a fresh command id. */
type StepBody = FieldStep extends infer S ? (S extends FieldStep ? Omit<S, 'commandId'> : never) : never;
const step = (socket: Socket, body: StepBody): Promise<Result<Task>> =>
  new Promise((resolve) => socket.emit('field:step', { ...body, commandId: randomUUID() }, resolve));
const decline = (socket: Socket, orderId: string, reason: string): Promise<Result<Offer>> =>
  new Promise((resolve) => socket.emit('field:decline', { orderId, reason }, resolve));

beforeAll(async () => {
  server = await startApp({
    users: [
      { username: 'desk', password: PASSWORD, role: 'dispatcher', scope: 'district' },
      { username: 'd-i09', password: PASSWORD, role: 'dispatcher', scope: 'I09' },
    ],
  });
  admin = await server.login();
  desk = await server.login('desk', PASSWORD);
  other = await server.login('d-i09', PASSWORD);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server.close();
});

describe('an order offered to a volunteer', () => {
  let v: TestVolunteer;
  let v2: TestVolunteer;
  beforeAll(async () => {
    v = await readyVolunteer(server, admin, { instituteId: 'I01' });
    v2 = await readyVolunteer(server, admin, { instituteId: 'I01' });
  });

  it('rings on the phone, is accepted, started and completed, each step seen by the console at once', async () => {
    const phone = await watch(FIELD_NAMESPACE, v.cookie);
    await seen(phone.events, 'field:snapshot', (s: FieldSnapshot) => s.tasks.length === 0);
    const console = await watch(DISPATCH_NAMESPACE, desk);
    const order = await orderAtStation(server, { cookie: desk }, v.stationId);

    // Another town's dispatcher cannot offer it; a volunteer without the app cannot be offered it.
    expect((await offerOrder(server, other, order.id, v.id)).status).toBe(404);
    expect(await offerOrder(server, desk, order.id, 'V000001')).toMatchObject({
      status: 409,
      body: { code: 'FIELD_NO_APP' },
    });
    expect(await offerOrder(server, desk, order.id, v.id)).toMatchObject({ status: 201, body: { status: 'open' } });
    await seen(phone.events, 'field:offer', (t: Task) => t.orderId === order.id && t.offer !== null);
    await seen(console.events, 'dispatch:offer', (o: Offer) => o.orderId === order.id && o.status === 'open');

    // Someone else cannot take it, nor decline it for them.
    const intruder = await watch(FIELD_NAMESPACE, v2.cookie);
    const stolen = await step(intruder.socket, { type: 'accept', orderId: order.id, expectedVersion: order.version });
    expect(stolen).toMatchObject({ ok: false, error: { code: 'FIELD_NOT_YOURS' } });
    expect(await decline(intruder.socket, order.id, '不是我的')).toMatchObject({
      ok: false,
      error: { code: 'FIELD_OFFER_NOT_FOUND' },
    });

    const accepted = await step(phone.socket, { type: 'accept', orderId: order.id, expectedVersion: order.version });
    expect(accepted).toMatchObject({ ok: true, data: { state: 'claimed', offer: null } });
    await seen(
      console.events,
      'dispatch:order',
      (p: { order: OrderView }) =>
        p.order.id === order.id && p.order.state === 'claimed' && p.order.assignee?.id === v.id,
    );
    await seen(console.events, 'dispatch:offer', (o: Offer) => o.orderId === order.id && o.status === 'accepted');

    // A reconnecting phone gets its tasks whole.
    const again = await watch(FIELD_NAMESPACE, v.cookie);
    await seen(again.events, 'field:snapshot', (s: FieldSnapshot) =>
      s.tasks.some((t) => t.orderId === order.id && t.state === 'claimed'),
    );

    const version = accepted.ok ? accepted.data.version : 0;
    expect(await step(intruder.socket, { type: 'start', orderId: order.id, expectedVersion: version })).toMatchObject({
      ok: false,
      error: { code: 'FIELD_NOT_YOURS' },
    });
    const started = await step(phone.socket, { type: 'start', orderId: order.id, expectedVersion: version });
    expect(started).toMatchObject({ ok: true, data: { state: 'in_service' } });
    await seen(
      console.events,
      'dispatch:order',
      (p: { order: OrderView }) => p.order.id === order.id && p.order.state === 'in_service',
    );
    const stale = await step(phone.socket, { type: 'complete', orderId: order.id, expectedVersion: version });
    expect(stale).toMatchObject({ ok: false, error: { code: 'ORDER_STALE_VERSION' } });
    const done = await step(phone.socket, {
      type: 'complete',
      orderId: order.id,
      expectedVersion: version + 1,
      note: '药已送到，老人状态良好',
    });
    expect(done).toMatchObject({ ok: true, data: { state: 'completed' } });
    await seen(
      console.events,
      'dispatch:order',
      (p: { order: OrderView }) => p.order.id === order.id && p.order.state === 'completed',
    );
    await seen(phone.events, 'field:gone', (p: { orderId: string }) => p.orderId === order.id);

    // The trail names the volunteer for each step and keeps the refusals.
    const detail: OrderDetail = await orderDetail(server, { cookie: desk }, order.id);
    const trail = detail.timeline.map((e) => `${e.action} ${e.actorId} ${e.result} ${e.code}`);
    expect(trail).toEqual(
      expect.arrayContaining([
        `offer desk ok `,
        `claim ${v2.id} refused FIELD_NOT_YOURS`,
        `decline ${v2.id} refused FIELD_OFFER_NOT_FOUND`,
        `claim ${v.id} ok `,
        `start ${v.id} ok `,
        `complete ${v.id} ok `,
      ]),
    );
    expect(detail.timeline.find((e) => e.action === 'complete' && e.result === 'ok')?.message).toBe(
      '药已送到，老人状态良好',
    );
  });

  it('tells the console at once when the volunteer declines, with the reason, and withdraws the offer', async () => {
    const phone = await watch(FIELD_NAMESPACE, v2.cookie);
    const console = await watch(DISPATCH_NAMESPACE, desk);
    const order = await orderAtStation(server, { cookie: desk }, v2.stationId, '社区义诊帮忙');
    expect((await offerOrder(server, desk, order.id, v2.id)).status).toBe(201);
    await seen(phone.events, 'field:offer', (t: Task) => t.orderId === order.id);
    expect(await decline(phone.socket, order.id, '时间冲突')).toMatchObject({ ok: true, data: { status: 'declined' } });
    await seen(
      console.events,
      'dispatch:offer',
      (o: Offer) => o.orderId === order.id && o.status === 'declined' && o.reason === '时间冲突',
    );
    await seen(phone.events, 'field:gone', (p: { orderId: string }) => p.orderId === order.id);
    // Declined, it is not theirs to accept any more, and the order did not move.
    const late = await step(phone.socket, { type: 'accept', orderId: order.id, expectedVersion: order.version });
    expect(late).toMatchObject({ ok: false, error: { code: 'FIELD_NOT_YOURS' } });
    const detail = await orderDetail(server, { cookie: desk }, order.id);
    expect(detail.order).toMatchObject({ state: 'dispatched_station', version: order.version });
    expect(detail.timeline.find((e) => e.action === 'decline')).toMatchObject({ actorId: v2.id, message: '时间冲突' });
  });
});

describe('the /field socket', () => {
  const closed = (socket: Socket) =>
    new Promise<string>((resolve) => {
      if (!socket.connected) resolve('closed before');
      socket.once('disconnect', resolve);
    });

  it('admits volunteers only, and closes at logout', async () => {
    const v = await readyVolunteer(server, admin);
    const phone = await watch(FIELD_NAMESPACE, v.cookie);
    const refused = socketFor(server.url, FIELD_NAMESPACE, { cookie: desk });
    sockets.push(refused);
    expect(await outcome(refused)).toBe('AUTH_FORBIDDEN');
    const ended = closed(phone.socket);
    await server.fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie: v.cookie } });
    expect(await ended).toBe('io server disconnect');
  });

  it('closes when a dispatcher disables the account', async () => {
    const v = await readyVolunteer(server, admin, { instituteId: 'I09' });
    const phone = await watch(FIELD_NAMESPACE, v.cookie);
    const ended = closed(phone.socket);
    expect(await decideVolunteer(server, other, v.id, 'disable')).toBe(200);
    expect(await ended).toBe('io server disconnect');
    const back = socketFor(server.url, FIELD_NAMESPACE, { cookie: v.cookie });
    sockets.push(back);
    expect(await outcome(back)).toBe('AUTH_UNAUTHENTICATED');
  });
});
