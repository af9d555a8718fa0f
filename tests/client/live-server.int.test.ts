/**
 * The live protocol against the real server: a wall that drops off and reconnects ends in the same
 * state as a wall that just opened. Both walls run the real client store (client/stores/live.ts)
 * on real socket.io-client sockets.
 */
import { createPinia, setActivePinia } from 'pinia';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpiSnapshot } from '../../shared/kpi.js';
import type { Network } from '../../shared/network.js';
import { LIVE_NAMESPACE, type LiveClientToServer, type LiveServerToClient } from '../../shared/live.js';
import { useLiveStore } from '../../client/stores/live.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { appealReceived, checkin } from '../helpers/events.js';
import { eventually } from '../helpers/server.js';

type LiveSocket = Socket<LiveServerToClient, LiveClientToServer>;
let server: TestApp;
/** A wall token: what a screen on the wall holds. */
let token: string;

const connect = (options: Parameters<typeof io>[1] = {}): LiveSocket =>
  io(`${server.url}${LIVE_NAMESPACE}`, {
    transports: ['websocket'],
    forceNew: true,
    autoConnect: false,
    auth: { token },
    ...options,
  });

async function ingest(events: unknown[]): Promise<void> {
  const response = await server.fetch(`${server.url}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    body: JSON.stringify(events),
  });
  expect(response.status).toBe(200);
}

/** A wall's live store on its own Pinia, bound to a real socket. */
function wall(socket: LiveSocket) {
  setActivePinia(createPinia());
  const store = useLiveStore();
  store.bind(socket);
  return store;
}

const figures = (k: KpiSnapshot | null) => (k ? { ...k, asOf: 0 } : null);

beforeAll(async () => {
  server = await startApp();
  token = await server.wallToken();
});
afterAll(async () => {
  await server.close();
});

describe('reconnect', () => {
  it('a wall that was cut off ends with the same state as a fresh wall', async () => {
    // Cut the wall off, let the world move on, bring it back.
    const cut = connect();
    const survivor = wall(cut);
    await eventually(() => (survivor.kpi ? true : undefined));
    cut.io.engine.close();
    await eventually(() => (survivor.connection === 'disconnected' ? true : undefined));
    await ingest([appealReceived(), appealReceived(), ...Array.from({ length: 20 }, () => checkin())]);
    await eventually(() => (survivor.connection === 'connected' ? true : undefined));

    // Quiet: no more events; wait until the survivor has caught up with the server's figures.
    const target = await eventually(async () => {
      const k = (await (
        await server.fetch(`${server.url}/api/kpi`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as KpiSnapshot;
      return survivor.kpi?.checkinsToday === k.checkinsToday && survivor.kpi.appealsReceived === k.appealsReceived
        ? k
        : undefined;
    });
    const fresh = wall(connect());
    await eventually(() => (fresh.kpi ? true : undefined));
    expect(figures(survivor.kpi)).toEqual(figures(fresh.kpi));
    expect(figures(fresh.kpi)).toMatchObject({ checkinsToday: target.checkinsToday });
    expect(survivor.trend).toEqual(fresh.trend);
    expect(survivor.feed.map((f) => f.id)).toEqual(fresh.feed.map((f) => f.id));
  });
});

describe('scopes', () => {
  it('a town wall gets its town only; the district wall gets everything; a station wall its station; a point wall its point', async () => {
    const network = (await (
      await server.fetch(`${server.url}/api/network`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as Network;
    const station = network.nodes.find((n) => n.level === 'station' && n.instituteId === 'I02');
    const otherTown = network.nodes.find((n) => n.level === 'institute' && n.id !== 'I02');
    const point = network.nodes.find((n) => n.level === 'point' && n.parentId === station?.id);
    if (!station?.instituteId || !otherTown || !point) throw new Error('network lacks the nodes this test needs');

    const watch = (scope: string | null) => wall(connect(scope ? { query: { scope } } : {}));
    const district = watch(null);
    const town = watch(station.instituteId);
    const other = watch(otherTown.id);
    const own = watch(station.id);
    const spot = watch(point.id);
    for (const w of [district, town, other, own, spot]) await eventually(() => (w.kpi ? true : undefined));
    expect(town.kpi?.registeredVolunteers).toBeLessThan(district.kpi?.registeredVolunteers ?? 0);
    expect(own.kpi?.registeredVolunteers).toBeLessThan(town.kpi?.registeredVolunteers ?? 0);

    const event = checkin({ nodeId: station.id });
    await ingest([event]);
    for (const w of [district, town, own])
      await eventually(() => (w.feed.some((f) => f.id === event.id) ? true : undefined));
    // Give the other town's screen the same frames' time, then check it never saw the event.
    await eventually(() => (district.seq !== null && other.seq !== null ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect(other.feed.some((f) => f.id === event.id)).toBe(false);
    expect(spot.feed.some((f) => f.id === event.id)).toBe(false);

    const atPoint = checkin({ nodeId: point.id });
    await ingest([atPoint]);
    for (const w of [district, town, own, spot])
      await eventually(() => (w.feed.some((f) => f.id === atPoint.id) ? true : undefined));
  });

  it("keeps a town's wall token inside its town", async () => {
    const townToken = (await server.createToken({ role: 'wall', scope: 'I02', label: 'I02 hall' })).token;
    const district = wall(connect());
    const town = wall(connect({ auth: { token: townToken } }));
    await eventually(() => (district.kpi && town.kpi ? true : undefined));
    expect(town.kpi?.registeredVolunteers).toBeLessThan(district.kpi?.registeredVolunteers ?? 0);

    const outside = connect({ auth: { token: townToken }, query: { scope: 'C0' }, reconnection: false });
    const error = await new Promise<Error>((resolve) => {
      outside.once('connect_error', resolve);
      outside.connect();
    });
    expect(error.message).toContain('outside I02');
    expect((error as Error & { data?: { code?: string } }).data?.code).toBe('AUTH_FORBIDDEN');
    outside.close();
  });

  it('refuses a scope that is no node of the network', async () => {
    const socket = connect({ query: { scope: 'P9999' }, reconnection: false });
    const error = await new Promise<Error>((resolve) => {
      socket.once('connect_error', resolve);
      socket.connect();
    });
    expect(error.message).toContain('P9999');
    expect((error as Error & { data?: { code?: string } }).data?.code).toBe('LIVE_UNKNOWN_SCOPE');
    socket.close();
  });
});
