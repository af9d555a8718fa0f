/**
 * The simulator's way in (server/plugins/app/simulator-paths.ts) on the real app and chdb: its events take the
 * devices' route, its citizens the public 点单 and rating routes — so the limits, the schemas and the
 * audit hold for it as for a phone — and its requests stay out of the request log without letting
 * anyone outside do the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISTRICT } from '../../../shared/auth.js';
import { toCommandBody, type CommandAck } from '../../../shared/dispatch.js';
import type { OrderCommand } from '../../../shared/orders.js';
import type { OrderAnswer, OrderPort, PortAnswer } from '../../../seed/flows/orders.js';
import type { DispatchActor } from '../../../server/dispatch/service.js';
import { simulatorPaths, type SimulatorPaths } from '../../../server/plugins/app/simulator-paths.js';
import { citizenOrder } from '../../../server/store/public-repository.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { checkin } from '../../helpers/events.js';
import { eventually } from '../../helpers/server.js';

const DESK: DispatchActor = { id: 'test:desk', name: '测试调度', role: 'admin', scope: DISTRICT };

/** Requests the log recorded, by URL (Fastify's "incoming request" lines). */
const requestLines = (logs: string[], url: string) =>
  logs
    .map((l) => JSON.parse(l) as { msg?: string; req?: { url?: string } })
    .filter((l) => l.msg === 'incoming request' && l.req?.url === url);

describe('the simulator through the phones’ and devices’ HTTP paths', () => {
  let app: TestApp;
  let paths: SimulatorPaths;
  let orders: OrderPort;
  const answerOf = (ack: CommandAck): PortAnswer =>
    ack.ok ? { state: ack.data.order.state, version: ack.data.order.version, assignee: ack.data.order.assignee } : null;

  beforeAll(async () => {
    app = await startApp();
    paths = simulatorPaths(app.app, app.token);
    const desk: OrderPort = {
      request: () => Promise.reject(new Error('citizens order through the public route')),
      command: async (c) =>
        answerOf(
          await app.app.dispatch.command(
            DESK,
            toCommandBody(
              { commandId: crypto.randomUUID(), orderId: c.orderId, expectedVersion: c.expectedVersion },
              c.command,
            ),
          ),
        ),
      report: (event) => app.app.dispatch.report(event),
    };
    orders = paths.orders(desk);
  });
  afterAll(async () => {
    await app.close();
  });

  it('orders as a citizen at a 站, follows the desk to the end and rates through the tracking link', async () => {
    const station = app.app.network.nodes.find((n) => n.level === 'station');
    if (!station) throw new Error('no station');
    const requested = await orders.request({
      orderId: 'ORD-sim',
      venueId: station.id,
      title: '陪同就医',
      actor: '群众',
      at: Date.now(),
    });
    if (requested === null || requested === 'retry') throw new Error(`点单 answered ${String(requested)}`);
    // The server names the order; the public route stored the citizen's details beside it.
    expect(requested.orderId).toMatch(/^ORD/);
    expect(requested.orderId).not.toBe('ORD-sim');
    const id = requested.orderId ?? '';
    const row = await citizenOrder(app.app.store, id);
    expect(row).toMatchObject({ node_id: station.id, note: '陪同就医' });
    expect(row?.phone).toMatch(/^1[3-9][0-9]{9}$/);
    expect(app.app.dispatch.order(id)?.title).not.toContain('陪同就医');

    let at: OrderAnswer = requested;
    const step = async (command: OrderCommand) => {
      const answer = await orders.command({
        orderId: id,
        expectedVersion: at.version,
        command,
        actor: '测试',
        at: Date.now(),
      });
      if (answer === null || answer === 'retry') throw new Error(`${command.type} answered ${String(answer)}`);
      at = answer;
    };
    const institute = station.instituteId ?? '';
    await step({ type: 'accept' });
    await step({ type: 'dispatch_institute', instituteId: institute });
    await step({ type: 'dispatch_station', stationId: station.id });
    const [candidate] = await app.app.dispatch.candidates(DESK, id, 1).then((r) => (r.ok ? r.data : []));
    if (!candidate) throw new Error('no candidate');
    await step({ type: 'claim', assignee: { kind: candidate.kind, id: candidate.id } });
    await step({ type: 'start' });
    await step({ type: 'complete' });
    await step({ type: 'rate', score: 4 });

    expect(at.state).toBe('rated');
    // The rating came through the public route: it is the citizen's, on their order's row.
    expect(await citizenOrder(app.app.store, id)).toMatchObject({ score: 4 });
    const timeline = await app.app.dispatch.orderTimeline(id, 20);
    expect(timeline.find((e) => e.action === 'rate')?.actorId).toBe('public:citizen');
    expect(timeline.find((e) => e.action === 'accept')?.actorId).toBe(DESK.id);
  });

  it('sends events as a device does, and a batch the route refuses is an error the simulator logs', async () => {
    const event = checkin();
    await paths.emit([event]);
    await eventually(() => (app.app.ingest.status().pending === 0 ? true : undefined));
    const stored = await app.app.store.query<{ n: number }>('SELECT count() AS n FROM events WHERE id = {id:UUID}', {
      id: event.id,
    });
    expect(Number(stored[0]?.n)).toBe(1);
    await expect(paths.emit([{ ...checkin(), nodeId: 'NO-SUCH-NODE' }])).rejects.toThrow(/1 events rejected/);
    await expect(simulatorPaths(app.app, 'not-a-device-token').emit([checkin()])).rejects.toThrow(
      /events refused: 401/,
    );
  });

  it('keeps its own requests out of the request log, but not a request that forges its header', async () => {
    const before = requestLines(app.logs, '/api/v1/events').length;
    await paths.emit([checkin()]);
    expect(requestLines(app.logs, '/api/v1/events')).toHaveLength(before);

    const forged = await fetch(`${app.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wmsj-internal': 'a'.repeat(48) },
      body: JSON.stringify([checkin()]),
    });
    expect(forged.status).toBe(401);
    expect(requestLines(app.logs, '/api/v1/events')).toHaveLength(before + 1);
  });
});

describe('the running simulator', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({ env: { SIMULATOR_RATE: '200' } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('plays the county through those paths: citizens’ orders carry their rows, and no batch is refused', async () => {
    const citizens = async () => {
      const rows = await app.app.store.query<{ n: number }>('SELECT count() AS n FROM citizen_orders');
      const n = Number(rows[0]?.n);
      return n >= 3 ? n : undefined;
    };
    expect(await eventually(citizens, 250)).toBeGreaterThanOrEqual(3);
    const events = await app.app.store.query<{ n: number }>(
      'SELECT count() AS n FROM events WHERE ts > now() - INTERVAL 5 MINUTE',
    );
    expect(Number(events[0]?.n)).toBeGreaterThan(0);
    const warnings = app.logs.filter((l) => l.includes('simulator batch refused'));
    expect(warnings).toEqual([]);
  });
});
