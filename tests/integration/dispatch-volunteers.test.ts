/**
 * Volunteers on the dispatch console, on the real server: double-booking refused when the rule is
 * on, closing an order frees its volunteer at once, a volunteer's timeline, candidates, presence
 * ("XX 正在处理") and notes between dispatchers live, and a logged-out dispatcher's socket closed.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DISPATCH_NAMESPACE,
  type Candidate,
  type Note,
  type OrderView,
  type VolunteerTimeline,
  type VolunteerView,
} from '../../shared/dispatch.js';
import type { Result } from '../../shared/result.js';
import { socketFor, type Credential } from '../helpers/auth.js';
import { command, emitCommand, networkNodes, requestOrder, toInstitute } from '../helpers/dispatch.js';
import { startServer, type RunningServer } from '../helpers/server.js';

const PASSWORD = 'a test password for dispatchers';
let server: RunningServer;
let admin: Credential;
let station = '';
const sockets: Socket[] = [];

const connect = async (credential: Credential): Promise<Socket> => {
  const socket = socketFor(server.url, DISPATCH_NAMESPACE, credential);
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('dispatch:snapshot', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
};
const ask = <T>(socket: Socket, event: string, payload: unknown) =>
  new Promise<Result<T>>((resolve) => socket.emit(event, payload, resolve));

/** An order dispatched to a 站, ready to be claimed. */
async function atStation(socket: Socket): Promise<OrderView> {
  const order = await toInstitute(server, admin, await requestOrder(server, admin, station));
  const ack = await emitCommand(
    socket,
    command(order.id, order.version, { type: 'dispatch_station', stationId: station }),
  );
  if (!ack.ok) throw new Error(ack.error.code);
  return ack.data.order;
}

const ENV = { DISPATCH_AUTO_ESCALATE: '0', DISPATCH_BLOCK_DOUBLE_BOOKING: '1' };

beforeAll(async () => {
  server = await startServer({
    env: ENV,
    users: [
      { username: 'd1', password: PASSWORD, role: 'dispatcher', scope: 'district' },
      { username: 'd2', password: PASSWORD, role: 'dispatcher', scope: 'district' },
    ],
  });
  admin = { cookie: await server.login() };
  const nodes = await networkNodes(server, admin);
  station = nodes.find((n) => n.level === 'station' && n.instituteId === 'I01')?.id ?? '';
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server.stop();
});

describe('volunteers', () => {
  it('draws candidates from the town an order was dispatched to, and refuses a claim from the venue’s town', async () => {
    const d1 = await connect({ cookie: await server.login('d1', PASSWORD) });
    const home = await atStation(d1);
    const homeRanked = await ask<Candidate[]>(d1, 'dispatch:candidates', { orderId: home.id, limit: 30 });
    if (!homeRanked.ok) throw new Error(homeRanked.error.code);
    const homeTeam = homeRanked.data.find((c) => c.kind === 'team');
    if (!homeTeam) throw new Error('no team candidates');
    expect(homeTeam.id.startsWith('I01:')).toBe(true);

    // Venue in I01; the center sends it to I02 and I02 on to one of its 站.
    const nodes = await networkNodes(server, admin);
    const away = nodes.find((n) => n.level === 'station' && n.instituteId === 'I02')?.id ?? '';
    const order = await requestOrder(server, admin, station);
    const steps = [
      { type: 'accept' },
      { type: 'dispatch_institute', instituteId: 'I02' },
      { type: 'dispatch_station', stationId: away },
    ];
    let current = order;
    for (const step of steps) {
      const ack = await emitCommand(d1, command(current.id, current.version, step));
      if (!ack.ok) throw new Error(`${step.type}: ${ack.error.code}`);
      current = ack.data.order;
    }
    const ranked = await ask<Candidate[]>(d1, 'dispatch:candidates', { orderId: current.id, limit: 30 });
    if (!ranked.ok) throw new Error(ranked.error.code);
    const teams = ranked.data.filter((c) => c.kind === 'team').map((c) => c.id);
    expect(teams.length).toBeGreaterThan(0);
    expect(teams.filter((id) => !id.startsWith('I02:'))).toEqual([]);
    // The station it is at comes first among the teams.
    expect(teams.some((id) => id.startsWith(`I02:${away}:`))).toBe(true);

    // The venue's own town's team may not claim it, even for the district's dispatcher.
    const claim = await emitCommand(
      d1,
      command(current.id, current.version, { type: 'claim', assignee: { kind: 'team', id: homeTeam.id } }),
    );
    expect(claim).toMatchObject({ ok: false, error: { code: 'ORDER_TARGET_OUT_OF_TOWN' } });
  });

  it('refuses double-booking under the rule, and frees a volunteer the moment an order closes', async () => {
    const d1 = await connect({ cookie: await server.login('d1', PASSWORD) });
    const views: VolunteerView[] = [];
    d1.on('dispatch:volunteer', ({ volunteer }: { volunteer: VolunteerView }) => views.push(volunteer));
    const a = await atStation(d1);
    const ranked = await ask<Candidate[]>(d1, 'dispatch:candidates', { orderId: a.id, limit: 10 });
    if (!ranked.ok) throw new Error(ranked.error.code);
    const volunteer = ranked.data.find((c) => c.kind === 'volunteer');
    if (!volunteer) throw new Error('no volunteer candidates');
    expect(ranked.data.map((c) => c.score)).toEqual([...ranked.data.map((c) => c.score)].sort((x, y) => y - x));
    const assignee = { kind: 'volunteer', id: volunteer.id };

    const claimedA = await emitCommand(d1, command(a.id, a.version, { type: 'claim', assignee }));
    expect(claimedA).toMatchObject({ ok: true, data: { order: { state: 'claimed', assignee } } });
    await expect
      .poll(() => views.findLast((v) => v.id === volunteer.id))
      .toMatchObject({ status: 'assigned', load: 1 });

    const b = await atStation(d1);
    const refused = await emitCommand(d1, command(b.id, b.version, { type: 'claim', assignee }));
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'ORDER_DOUBLE_BOOKING', order: { id: b.id, version: b.version } },
    });

    // Service done: the volunteer is free again, and can take the other order.
    if (!claimedA.ok) return;
    const started = await emitCommand(d1, command(a.id, claimedA.data.order.version, { type: 'start' }));
    expect(started).toMatchObject({ ok: true, data: { order: { state: 'in_service' } } });
    const done = await emitCommand(d1, command(a.id, claimedA.data.order.version + 1, { type: 'complete' }));
    expect(done).toMatchObject({ ok: true, data: { order: { state: 'completed', assignee: null } } });
    await expect
      .poll(() => views.findLast((v) => v.id === volunteer.id))
      .toMatchObject({ status: 'available', load: 0 });
    const claimedB = await emitCommand(d1, command(b.id, b.version, { type: 'claim', assignee }));
    expect(claimedB).toMatchObject({ ok: true, data: { order: { state: 'claimed' }, warnings: [] } });
    // Cancelling frees too.
    const cancelled = await emitCommand(d1, command(b.id, b.version + 1, { type: 'cancel', reason: '群众已自行解决' }));
    expect(cancelled).toMatchObject({ ok: true, data: { order: { state: 'cancelled', assignee: null } } });
    await expect
      .poll(() => views.findLast((v) => v.id === volunteer.id))
      .toMatchObject({ status: 'available', load: 0 });

    const response = await fetch(`${server.url}/api/v1/volunteers/${volunteer.id}/timeline`, {
      headers: { cookie: (admin as { cookie: string }).cookie },
    });
    const { timeline } = (await response.json()) as VolunteerTimeline;
    expect(timeline.map((e) => `${e.orderId}:${e.action}:${e.result}`).reverse()).toEqual([
      `${a.id}:claim:ok`,
      `${b.id}:claim:refused`,
      `${a.id}:start:ok`,
      `${a.id}:complete:ok`,
      `${b.id}:claim:ok`,
      `${b.id}:cancel:ok`,
    ]);
  });
});

describe('dispatchers together', () => {
  it('shows who is looking at an order and passes notes live', async () => {
    const d1 = await connect({ cookie: await server.login('d1', PASSWORD) });
    const d2 = await connect({ cookie: await server.login('d2', PASSWORD) });
    const order = await atStation(d1);
    const viewing: { orderId: string; viewers: { id: string }[] }[] = [];
    const notes: Note[] = [];
    d2.on('dispatch:viewing', (v: { orderId: string; viewers: { id: string }[] }) => viewing.push(v));
    d2.on('dispatch:note', (n: Note) => notes.push(n));
    d1.emit('dispatch:view', order.id);
    await expect.poll(() => viewing.findLast((v) => v.orderId === order.id)?.viewers.map((v) => v.id)).toEqual(['d1']);
    const sent = await ask<Note>(d1, 'dispatch:note', { orderId: order.id, text: '我来处理，已电话联系群众' });
    expect(sent).toMatchObject({ ok: true, data: { author: { id: 'd1' } } });
    await expect.poll(() => notes.map((n) => n.text)).toEqual(['我来处理，已电话联系群众']);
    d1.close();
    await expect.poll(() => viewing.findLast((v) => v.orderId === order.id)?.viewers).toEqual([]);
  });

  it("closes a dispatcher's socket once the session ends", async () => {
    const cookie = await server.login('d2', PASSWORD);
    const socket = await connect({ cookie });
    const closed = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    const out = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBeLessThan(300);
    await closed;
    expect(socket.connected).toBe(false);
  });
});

describe('the audit across a crash', () => {
  it('keeps every answered attempt, refused ones too, through kill -9', async () => {
    const d1 = await connect({ cookie: await server.login('d1', PASSWORD) });
    const order = await atStation(d1);
    const stale = command(order.id, order.version - 1, { type: 'escalate' });
    const accepted = command(order.id, order.version, { type: 'escalate' });
    expect(await emitCommand(d1, stale)).toMatchObject({ ok: false, error: { code: 'ORDER_STALE_VERSION' } });
    expect(await emitCommand(d1, accepted)).toMatchObject({ ok: true });
    await server.kill();
    server = await startServer({ dataDir: server.dataDir, port: server.port, env: ENV, users: [] });
    admin = { cookie: await server.login() };
    const response = await fetch(`${server.url}/api/v1/orders/${order.id}`, {
      headers: { cookie: admin.cookie },
    });
    const { order: now, timeline } = (await response.json()) as {
      order: OrderView;
      timeline: { commandId: string; result: string }[];
    };
    expect(now).toMatchObject({ state: 'dispatched_institute', version: order.version + 1 });
    expect(
      timeline.filter((e) => [stale.commandId, accepted.commandId].includes(e.commandId)).map((e) => e.result),
    ).toEqual(['refused', 'ok']);
  });
});
