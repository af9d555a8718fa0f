/**
 * The live protocol against the real server: a wall that drops off and reconnects ends in the same
 * state as a wall that just opened. Both walls run the real client store (client/stores/live.ts)
 * on real socket.io-client sockets.
 */
import { createPinia, setActivePinia } from 'pinia';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpiSnapshot } from '../../shared/kpi.js';
import { LIVE_NAMESPACE, type LiveClientToServer, type LiveServerToClient } from '../../shared/live.js';
import { useLiveStore } from '../../client/stores/live.js';
import { appealReceived, checkin } from '../helpers/events.js';
import { eventually, startServer, type RunningServer } from '../helpers/server.js';

type LiveSocket = Socket<LiveServerToClient, LiveClientToServer>;
let server: RunningServer;

const connect = (options: Parameters<typeof io>[1] = {}): LiveSocket =>
  io(`${server.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], forceNew: true, autoConnect: false, ...options });

async function ingest(events: unknown[]): Promise<void> {
  const response = await fetch(`${server.url}/api/v1/events`, {
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
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
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
      const k = (await (await fetch(`${server.url}/api/kpi`)).json()) as KpiSnapshot;
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
