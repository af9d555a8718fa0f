/**
 * Panel query subscriptions on the real server: screens watching the same (query, scope,
 * parameters) share one entry and one evaluation; an ingested appeal reaches a heat subscriber;
 * bad requests and scopes outside a screen's own are refused with stable codes.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_NAMESPACE, type LiveClientToServer, type LiveServerToClient } from '../../../shared/live.js';
import type { HeatPoint } from '../../../shared/queries/heat.js';
import type { QuerySubscribe, QueryUpdate } from '../../../shared/queries/index.js';
import type { Result } from '../../../shared/result.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { appealReceived } from '../../helpers/events.js';
import { eventually } from '../../helpers/server.js';

type LiveSocket = Socket<LiveServerToClient, LiveClientToServer>;
let server: TestApp;
let wallToken: string;
const sockets: LiveSocket[] = [];

async function connect(token: string): Promise<LiveSocket> {
  const socket: LiveSocket = io(`${server.url}${LIVE_NAMESPACE}`, {
    transports: ['websocket'],
    forceNew: true,
    auth: { token },
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('live:snapshot', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

const subscribe = (socket: LiveSocket, request: QuerySubscribe) =>
  new Promise<Result<QueryUpdate>>((resolve) => socket.emit('live:subscribe', request, resolve));

async function metric(name: string): Promise<number> {
  const text = await (
    await server.fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${server.token}` } })
  ).text();
  return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? Number.NaN);
}

const HEAT = { query: 'heat', params: { window: '1h', source: 'appeals', category: 'complaint' } } as const;

beforeAll(async () => {
  server = await startApp();
  wallToken = await server.wallToken();
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server.close();
});

describe('query subscriptions', () => {
  it('screens watching the same query share one entry, whatever the order of their parameters', async () => {
    const [a, b] = await Promise.all([connect(wallToken), connect(wallToken)]);
    const first = await subscribe(a, { query: 'trend', params: { metric: 'checkins', window: '24h' } });
    const second = await subscribe(b, { query: 'trend', params: { window: '24h', metric: 'checkins' } });
    if (!first.ok || !second.ok) throw new Error('subscription refused');
    expect(second.data.key).toBe(first.data.key);
    expect(first.data.data).toMatchObject({ bucketMs: 3_600_000 });
    expect(await metric('wmsj_live_query_subscriptions')).toBe(1);
  });

  it('an ingested appeal reaches the heat layer of a screen watching its category', async () => {
    const socket = await connect(wallToken);
    const updates: QueryUpdate[] = [];
    socket.on('live:query', (u) => updates.push(u));
    const result = await subscribe(socket, HEAT);
    if (!result.ok) throw new Error(result.error.message);
    const at = { lat: 30.4567, lon: 103.9321 };
    const response = await server.fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify([
        appealReceived({ category: 'complaint', ...at }),
        appealReceived({ category: 'complaint', ...at }),
        appealReceived({ category: 'consult', lat: 30.3, lon: 103.8 }),
      ]),
    });
    expect(response.status).toBe(200);
    const heat = await eventually(() => {
      // Updates on this key are heat results (the key names the query).
      const data = updates.findLast((u) => u.key === result.data.key && u.data)?.data as HeatPoint[] | undefined;
      return data?.some((p) => p.lat === 30.457) ? data : undefined;
    });
    expect(heat).toContainEqual({ lat: 30.457, lon: 103.932, weight: 2 });
    // Another category's appeal is not on this layer.
    expect(heat.some((p) => p.lat === 30.3)).toBe(false);
  });

  it('refuses unknown queries, bad parameters and unknown scopes with stable codes', async () => {
    const socket = await connect(wallToken);
    const unknown = await subscribe(socket, { query: 'nope' as 'heat', params: {} });
    const badParams = await subscribe(socket, { query: 'heat', params: { window: '2h', source: 'x' } });
    const badScope = await subscribe(socket, { ...HEAT, scope: 'NOT-A-NODE' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'REQ_VALIDATION' } });
    expect(badParams).toMatchObject({ ok: false, error: { code: 'REQ_VALIDATION' } });
    expect(badScope).toMatchObject({ ok: false, error: { code: 'LIVE_UNKNOWN_SCOPE' } });
  });

  it('a town screen may watch its own stations but not another town', async () => {
    const town = await server.createToken({ role: 'wall', label: 'I03 wall', scope: 'I03' });
    const socket = await connect(town.token);
    const own = await subscribe(socket, { ...HEAT, scope: 'I03' });
    const other = await subscribe(socket, { ...HEAT, scope: 'I04' });
    expect(own.ok).toBe(true);
    expect(other).toMatchObject({ ok: false, error: { code: 'AUTH_FORBIDDEN' } });
  });
});
