/**
 * The walking skeleton end to end: the real server process on real chdb, over HTTP and Socket.IO.
 */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestResult } from '../../shared/events.js';
import type { KpiSnapshot } from '../../shared/kpi.js';
import { INGEST_NAMESPACE, type IngestClientToServer, type IngestServerToClient } from '../../shared/ingest.js';
import type { Result } from '../../shared/result.js';
import {
  LIVE_NAMESPACE,
  type LiveClientToServer,
  type LiveServerToClient,
  type LiveSnapshot,
  type LiveTick,
} from '../../shared/live.js';
import { countByLevel, type Network } from '../../shared/network.js';
import { EmbeddedTransport } from '../../server/store/embedded.js';
import { orderDetail, requestOrder } from '../helpers/dispatch.js';
import { appealReceived, checkin } from '../helpers/events.js';
import { eventually, startServer, type RunningServer } from '../helpers/server.js';

let server: RunningServer;
/** Reads as a wall does: with its token. */
const get = async <T>(path: string): Promise<T> =>
  (
    await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${await server.wallToken()}` } })
  ).json() as Promise<T>;
const post = (path: string, body: unknown, token: string | null = server.token, type = 'application/json') =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
});

describe('network and status', () => {
  it('serves the seeded Shuangliu network: 1 center, 9 institutes, 118 stations, 341 points', async () => {
    const network = await get<Network>('/api/network');
    expect(countByLevel(network.nodes)).toEqual({ center: 1, institute: 9, station: 118, point: 341 });
    expect(network.county.name).toBe('双流区');
    expect(network.outline.features.length).toBeGreaterThan(0);
    expect(network.towns.features).toHaveLength(9);
  });

  it('reports health with ClickHouse reachable and strict headers; details only to a known caller', async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(await response.json()).toEqual({ status: 'ok' });
    const health = await get<{ status: string; clickhouse: { reachable: boolean; transport: string } }>('/api/health');
    expect(health.clickhouse).toMatchObject({ reachable: true, transport: 'embedded' });
    expect(health.status).toBe('ok');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('serves KPI figures from the backfilled history', async () => {
    const kpi = await get<KpiSnapshot>('/api/kpi');
    expect(kpi.registeredVolunteers).toBeGreaterThan(0);
    expect(kpi.appealsReceived).toBeGreaterThan(0);
    expect(kpi.appealClosureRate).toBeGreaterThan(0.9);
  });

  it('exposes Prometheus metrics to token holders only', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${server.token}` } });
    const text = await response.text();
    expect(text).toMatch(/^wmsj_ingest_accepted_total \d+/m);
    expect(text).toMatch(/^wmsj_live_evaluations_total [1-9]/m);
    expect(text).toContain('wmsj_wal_pending_bytes');
  });

  it('publishes OpenAPI docs', async () => {
    const response = await fetch(`${server.url}/docs/json`);
    const doc = (await response.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/health', '/api/network', '/api/kpi', '/api/v1/events']),
    );
  });
});

describe('ingest', () => {
  it('refuses requests without a valid token', async () => {
    expect((await post('/api/v1/events', [checkin()], null)).status).toBe(401);
    const wrong = await post('/api/v1/events', [checkin()], 'nope');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: 'AUTH_UNAUTHENTICATED' });
  });

  it('answers per item: accepted, duplicate, rejected with a reason', async () => {
    const good = appealReceived();
    const response = await post('/api/v1/events', [good, good, { ...checkin(), nodeId: 'NOPE' }, { type: 'checkin' }]);
    expect(response.status).toBe(200);
    const result = (await response.json()) as IngestResult;
    expect(result).toMatchObject({ accepted: 1, duplicate: 1, rejected: 2 });
    expect(result.items[2]).toMatchObject({ status: 'rejected', code: 'EVENT_UNKNOWN_NODE' });
    expect(result.items[3]).toMatchObject({ status: 'rejected', code: 'EVENT_INVALID' });
    const again = (await (await post('/api/v1/events', [good])).json()) as IngestResult;
    expect(again).toMatchObject({ accepted: 0, duplicate: 1 });
  });

  it("refuses an order's transition from a device: only the dispatch service moves an order", async () => {
    const admin = { cookie: await server.login() };
    const order = await requestOrder(server, admin, 'S001');
    const forged = {
      id: randomUUID(),
      type: 'order.transition',
      nodeId: 'S001',
      ts: Date.now(),
      orderId: order.id,
      from: 'requested',
      to: 'completed',
      version: 2,
      actor: 'a device',
      volunteerId: null,
      reason: '',
    };
    const result = (await (await post('/api/v1/events', [forged])).json()) as IngestResult;
    expect(result).toMatchObject({ accepted: 0, rejected: 1 });
    expect(result.items[0]).toMatchObject({ status: 'rejected', code: 'EVENT_ORDER_VIA_DISPATCH' });
    expect((await orderDetail(server, admin, order.id)).order).toMatchObject({ state: 'requested', version: 1 });
  });

  it('takes NDJSON and refuses a body that is not JSON with a 400', async () => {
    const ndjson = `${JSON.stringify(checkin())}\n${JSON.stringify(checkin())}\n`;
    const ok = (await (
      await post('/api/v1/events', ndjson, server.token, 'application/x-ndjson')
    ).json()) as IngestResult;
    expect(ok.accepted).toBe(2);
    const bad = await post('/api/v1/events', '{"id":', server.token, 'application/x-ndjson');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'REQ_VALIDATION' });
    expect((await post('/api/v1/events', [])).status).toBe(400);
  });

  it('shows an ingested appeal in the KPI figures', async () => {
    const before = await get<KpiSnapshot>('/api/kpi');
    await post('/api/v1/events', [appealReceived(), appealReceived()]);
    const after = await eventually(async () => {
      const k = await get<KpiSnapshot>('/api/kpi');
      return k.appealsReceived >= before.appealsReceived + 2 ? k : undefined;
    });
    expect(after.appealsReceived).toBe(before.appealsReceived + 2);
  });
});

describe('socket ingest', () => {
  type IngestSocket = Socket<IngestServerToClient, IngestClientToServer>;
  const connect = (token: string | null): IngestSocket =>
    io(`${server.url}${INGEST_NAMESPACE}`, {
      transports: ['websocket'],
      auth: token ? { token } : {},
      reconnection: false,
    });

  it('refuses a device without a valid token at the handshake', async () => {
    const socket = connect('wrong');
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    expect(error.message).toContain('valid token');
    socket.close();
  });

  it('acks a batch with per-item results, through the same path as HTTP', async () => {
    const socket = connect(server.token);
    try {
      const event = checkin();
      // socket.io types a timed-out ack's value loosely; the contract says it is a Result.
      const ack = (await socket
        .timeout(10_000)
        .emitWithAck('ingest:batch', [event, event, { nonsense: true }])) as Result<IngestResult>;
      expect(ack).toMatchObject({ ok: true, data: { accepted: 1, duplicate: 1, rejected: 1 } });
      const empty = (await socket.timeout(10_000).emitWithAck('ingest:batch', [])) as Result<IngestResult>;
      expect(empty).toMatchObject({ ok: false, error: { code: 'REQ_VALIDATION' } });
    } finally {
      socket.close();
    }
  });
});

describe('live', () => {
  it('sends a snapshot on connect and a tick carrying an ingested check-in', async () => {
    const socket: Socket<LiveServerToClient, LiveClientToServer> = io(`${server.url}${LIVE_NAMESPACE}`, {
      transports: ['websocket'],
      auth: { token: await server.wallToken() },
    });
    try {
      const snapshot = await new Promise<LiveSnapshot>((resolve) => socket.once('live:snapshot', resolve));
      expect(snapshot.trend).toHaveLength(60);
      const ticks: LiveTick[] = [];
      socket.on('live:tick', (t) => ticks.push(t));
      const event = checkin({ volunteerName: '王小明' });
      await post('/api/v1/events', [event]);
      const tick = await eventually(() => ticks.find((t) => t.feed.some((f) => f.id === event.id)));
      expect(tick.seq).toBeGreaterThan(snapshot.seq);
      expect(tick.kpi.checkinsToday).toBeGreaterThan(snapshot.kpi.checkinsToday);
      const item = tick.feed.find((f) => f.id === event.id);
      expect(item?.who).toBe('王*明');
      expect(JSON.stringify(ticks)).not.toContain('王小明');
    } finally {
      socket.close();
    }
  });
});

describe('durability', () => {
  it('flushes on SIGTERM: every accepted event is in ClickHouse exactly once, and a restart keeps the data', async () => {
    const events = Array.from({ length: 50 }, () => checkin({ id: randomUUID() }));
    const result = (await (await post('/api/v1/events', events)).json()) as IngestResult;
    expect(result.accepted).toBe(50);
    expect(await server.stop()).toBe(0);

    const store = new EmbeddedTransport(`${server.dataDir}/clickhouse`);
    const rows = await store.query<{ event_id: string; n: number }>(
      'SELECT toString(id) AS event_id, count() AS n FROM events WHERE id IN {ids:Array(UUID)} GROUP BY id',
      { ids: events.map((e) => e.id) },
    );
    const [network] = await store.query<{ n: number }>('SELECT count() AS n FROM nodes');
    await store.close();
    expect(rows).toHaveLength(50);
    expect(rows.every((r) => r.n === 1)).toBe(true);

    server = await startServer({ dataDir: server.dataDir });
    const kpi = await get<KpiSnapshot>('/api/kpi');
    expect(kpi.checkinsToday).toBeGreaterThanOrEqual(50);
    expect(network?.n).toBe(469);
    expect(server.logs.some((l) => l.includes('seeded network'))).toBe(false);
  });
});
