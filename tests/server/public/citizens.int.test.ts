/**
 * The citizens' front door on the real server and real chdb (issue 16.1, 16.2, 16.6): a node's
 * public page; 点单 entering the dispatch flow as 群众点单 at that node, the phone unmasked only to
 * the order's dispatcher; a retried command id making one order; tracking by token (a wrong one is
 * one uniform 404, audited), live over `/track` through every step; rating once; 百姓点题 counted
 * with the appeals; and an anonymous caller kept off every wall and dispatch route.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Candidate, OrderList, OrderView } from '../../../shared/dispatch.js';
import type { KpiSnapshot } from '../../../shared/kpi.js';
import type { NetworkNode } from '../../../shared/network.js';
import { codeSegment } from '../../../shared/node-link.js';
import type { PublicNode, TrackStep } from '../../../shared/public.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { handshake, headersFor, type Credential } from '../../helpers/auth.js';
import { nodePage, orderBody, placeOrder, postAppeal, rate, track, trackSocket } from '../../helpers/citizen.js';
import { command, orderDetail, postCommand } from '../../helpers/dispatch.js';
import { eventually } from '../../helpers/server.js';

const PHONE = '13812345678';
let server: TestApp;
let admin: Credential;
let station: NetworkNode;
let point: NetworkNode;
let segment: string;

const segmentOf = (n: NetworkNode) => codeSegment(n.code) ?? '';
const auditLines = () => readFileSync(`${server.dataDir}/audit.jsonl`, 'utf8').trim().split('\n');

async function openOrders(): Promise<OrderView[]> {
  const r = await server.fetch(`${server.url}/api/v1/orders`, { headers: headersFor(admin) });
  return ((await r.json()) as OrderList).orders;
}
/** The order a token tracks, as the console sees it (found by venue and creation among open orders). */
async function consoleOrder(venueId: string, since: number): Promise<OrderView> {
  return eventually(async () => (await openOrders()).find((o) => o.venueId === venueId && o.createdAt >= since));
}

beforeAll(async () => {
  server = await startApp({
    env: { PUBLIC_POSTS_PER_MINUTE: '1000', PUBLIC_READS_PER_MINUTE: '1000', PUBLIC_NODE_POSTS_PER_HOUR: '1000' },
  });
  admin = { cookie: await server.login() };
  const nodes = server.app.network.nodes;
  station = nodes.find((n) => n.level === 'station' && n.instituteId === 'I01') as NetworkNode;
  point = nodes.find((n) => n.level === 'point') as NetworkNode;
  segment = segmentOf(station);
});
afterAll(async () => {
  await server.close();
});

describe("a node's public page", () => {
  it('answers the node, its town and this month’s counts; another county’s code and an unknown node are 404s', async () => {
    const page = await nodePage(server, segment);
    expect(page.status).toBe(200);
    const body = page.body as PublicNode;
    expect(body).toMatchObject({ segment, name: station.name, level: 'station', orderable: true });
    expect(body.town).not.toBe('');
    expect(body.figures.month).toMatch(/^\d{4}-\d{2}$/);
    for (const v of [body.figures.checkins, body.figures.ordersCompleted, body.figures.appealsClosed])
      expect(v).toBeGreaterThanOrEqual(0);
    expect((await nodePage(server, segmentOf(point))).body).toMatchObject({ level: 'point', orderable: true });

    const other = await nodePage(server, `999999-${station.id}`);
    expect(other).toMatchObject({ status: 404, body: { code: 'PUBLIC_NODE_OTHER_COUNTY' } });
    const adcode = segment.split('-')[0] ?? '';
    expect(await nodePage(server, `${adcode}-NOPE`)).toMatchObject({
      status: 404,
      body: { code: 'PUBLIC_NODE_NOT_FOUND' },
    });
    expect(await nodePage(server, 'garbage')).toMatchObject({ status: 404, body: { code: 'PUBLIC_NODE_NOT_FOUND' } });
  });
});

describe('群众点单 from the page', () => {
  it('enters the console as 群众点单 at the node; the phone is the dispatcher’s only; a retry makes one order', async () => {
    const since = Date.now() - 1;
    const body = orderBody();
    const first = await placeOrder(server, segment, body);
    expect(first.status).toBe(200);
    expect(first.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.body.replayed).toBe(false);
    const retried = await placeOrder(server, segment, body);
    expect(retried).toMatchObject({ status: 200, body: { replayed: true } });
    expect(retried.body.token).not.toBe(first.body.token);

    const order = await consoleOrder(station.id, since);
    const mine = (await openOrders()).filter((o) => o.venueId === station.id && o.createdAt >= since);
    expect(mine).toHaveLength(1);
    expect(order).toMatchObject({ state: 'requested', category: 'elderly', instituteId: 'I01' });
    expect(order.title).toContain('助老助残');
    expect(JSON.stringify(await openOrders())).not.toContain(PHONE);

    const contact = await server.fetch(`${server.url}/api/v1/orders/${order.id}/contact`, {
      headers: headersFor(admin),
    });
    expect(contact.status).toBe(200);
    expect(await contact.json()).toMatchObject({ subject: `order:${order.id}`, phone: PHONE });
    const anonymous = await server.fetch(`${server.url}/api/v1/orders/${order.id}/contact`);
    expect(anonymous.status).toBe(401);

    // Both answers' tokens follow the one order; neither view carries the phone or the note.
    for (const token of [first.body.token, retried.body.token]) {
      const view = await track(server, token);
      expect(view).toMatchObject({ status: 200, body: { state: 'requested', step: 'requested', category: 'elderly' } });
      expect(JSON.stringify(view.body)).not.toContain(PHONE);
      expect(JSON.stringify(view.body)).not.toContain('13812');
    }
  });

  it('refuses a window that cannot be served, a 所, and a malformed phone, each with its code', async () => {
    const past = orderBody({ window: { from: Date.now() - 30 * 3_600_000, to: Date.now() - 28 * 3_600_000 } });
    expect(await placeOrder(server, segment, past)).toMatchObject({
      status: 400,
      body: { code: 'PUBLIC_WINDOW_INVALID' },
    });
    const institute = server.app.network.nodes.find((n) => n.level === 'institute') as NetworkNode;
    expect(await placeOrder(server, segmentOf(institute), orderBody())).toMatchObject({
      status: 400,
      body: { code: 'PUBLIC_NOT_ORDERABLE' },
    });
    expect(await placeOrder(server, segment, orderBody({ phone: '12345' }))).toMatchObject({
      status: 400,
      body: { code: 'REQ_VALIDATION' },
    });
    const html = { ...orderBody(), note: 'x'.repeat(201) };
    expect((await placeOrder(server, segment, html)).status).toBe(400);
  });
});

describe('the tracking link', () => {
  it('answers one uniform 404 for a wrong, guessed, malformed or missing token, and audits each', async () => {
    const before = auditLines().length;
    const bodies = new Set<string>();
    for (const token of ['A'.repeat(43), 'short', '', `${'x'.repeat(42)}!`]) {
      const answer = await track(server, token);
      expect(answer.status).toBe(404);
      bodies.add(JSON.stringify(answer.body));
    }
    const none = await server.fetch(`${server.url}/api/v1/public/track`);
    expect(none.status).toBe(404);
    bodies.add(JSON.stringify(await none.json()));
    expect([...bodies]).toEqual([
      JSON.stringify({ code: 'TRACK_NOT_FOUND', message: 'no order for this tracking link' }),
    ]);
    const refused = auditLines()
      .slice(before)
      .map((l) => JSON.parse(l) as { action: string; subject: string });
    expect(refused.filter((r) => r.action === 'public.refused' && r.subject.includes('TRACK_NOT_FOUND'))).toHaveLength(
      5,
    );
    expect(auditLines().slice(before).join('\n')).not.toContain('A'.repeat(43));
    expect(await trackSocket(server.url, 'A'.repeat(43)).ready).toBe('TRACK_NOT_FOUND');
  });

  it('pushes every step live over /track to the rating, which is taken once', async () => {
    const since = Date.now() - 1;
    const placed = await placeOrder(server, segment, orderBody({ category: 'health' }));
    const token = placed.body.token;
    const { socket, views, ready } = trackSocket(server.url, token);
    try {
      expect(await ready).toBe('connected');
      await eventually(() => views.find((v) => v.step === 'requested'));
      let order = await consoleOrder(station.id, since);
      const drive = async (rest: Record<string, unknown>, step: TrackStep) => {
        const answer = await postCommand(server, admin, order.id, command(order.id, order.version, rest));
        if (!answer.ack.ok) throw new Error(answer.ack.error.code);
        order = answer.ack.data.order;
        await eventually(() => views.find((v) => v.step === step && v.state === order.state));
      };
      await drive({ type: 'accept' }, 'accepted');
      await drive({ type: 'dispatch_institute', instituteId: 'I01' }, 'dispatched');
      await drive({ type: 'dispatch_station', stationId: station.id }, 'dispatched');
      const candidates = (await (
        await server.fetch(`${server.url}/api/v1/orders/${order.id}/candidates`, { headers: headersFor(admin) })
      ).json()) as Candidate[];
      const volunteer = candidates.find((c) => c.kind === 'volunteer');
      if (!volunteer) throw new Error('no volunteer candidate');
      expect(await rate(server, token, { commandId: randomUUID(), score: 5, comment: '' })).toMatchObject({
        status: 409,
        body: { code: 'TRACK_NOT_RATABLE' },
      });
      await drive({ type: 'claim', assignee: { kind: 'volunteer', id: volunteer.id } }, 'claimed');
      expect(views[views.length - 1]?.volunteer).toBe(volunteer.name);
      expect(views[views.length - 1]?.volunteer).toContain('*');
      await drive({ type: 'start' }, 'in_service');
      await drive({ type: 'complete' }, 'completed');

      const rating = { commandId: randomUUID(), score: 4, comment: '很及时，谢谢' };
      const rated = await rate(server, token, rating);
      expect(rated).toMatchObject({
        status: 200,
        body: { state: 'rated', rating: { score: 4, comment: '很及时，谢谢' } },
      });
      expect(await rate(server, token, rating)).toMatchObject({ status: 200, body: { state: 'rated' } });
      expect(await rate(server, token, { ...rating, commandId: randomUUID() })).toMatchObject({
        status: 409,
        body: { code: 'TRACK_ALREADY_RATED' },
      });
      await eventually(() => views.find((v) => v.state === 'rated' && v.rating?.score === 4));
      const detail = await orderDetail(server, admin, order.id);
      const rateEntry = detail.timeline.filter((e) => e.action === 'rate' && e.result === 'ok');
      expect(rateEntry).toHaveLength(1);
      expect(rateEntry[0]?.message).toContain('很及时，谢谢');
      const steps = views[views.length - 1]?.steps ?? [];
      expect(steps.every((s) => s.at !== null)).toBe(true);
    } finally {
      socket.close();
    }
  });
});

describe('百姓点题', () => {
  it('enters as appeal.received at the node, counted on the wall’s KPI; a retry counts once', async () => {
    const kpi = async () =>
      ((await (await server.fetch(`${server.url}/api/kpi`, { headers: headersFor(admin) })).json()) as KpiSnapshot)
        .appealsReceived;
    const before = await kpi();
    const body = { commandId: randomUUID(), category: 'suggestion', title: '广场晚上路灯太暗，建议加装', phone: PHONE };
    expect(await postAppeal(server, segment, body)).toMatchObject({ status: 200, body: { replayed: false } });
    expect(await postAppeal(server, segment, body)).toMatchObject({ status: 200, body: { replayed: true } });
    await eventually(async () => ((await kpi()) === before + 1 ? true : undefined));
    const rows = await eventually(async () => {
      const found = await server.app.store.query<{ node_id: string; lat: number }>(
        `SELECT node_id, lat FROM events FINAL WHERE type = 'appeal.received' AND title = {t:String}`,
        { t: body.title },
      );
      return found.length > 0 ? found : undefined;
    });
    expect(rows).toEqual([{ node_id: station.id, lat: station.lat }]);
  });
});

describe('an anonymous caller', () => {
  it('reaches no wall or dispatch route or socket', async () => {
    for (const path of ['/api/network', '/api/kpi', '/api/client-config', '/api/v1/orders', '/api/v1/teams']) {
      const r = await server.fetch(`${server.url}${path}`);
      expect(r.status, path).toBe(401);
    }
    for (const ns of ['/live', '/dispatch', '/ingest']) {
      expect(await handshake(server.url, ns, null), ns).toBe('AUTH_UNAUTHENTICATED');
    }
  });
});
