/**
 * PUBLIC_DISPLAY=1: anonymous screens read the wall, and nothing more. Off by default (see
 * auth.test.ts, where anonymous is refused everywhere).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGEST_NAMESPACE } from '../../../shared/ingest.js';
import { LIVE_NAMESPACE, type LiveSnapshot } from '../../../shared/live.js';
import { handshake, socketFor } from '../../helpers/auth.js';
import { checkin } from '../../helpers/events.js';
import { startApp, type TestApp } from '../../helpers/app.js';

let server: TestApp;
const status = async (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
  (
    await server.fetch(`${server.url}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  ).status;

beforeAll(async () => {
  server = await startApp({ env: { PUBLIC_DISPLAY: '1' } });
});
afterAll(async () => {
  await server.close();
});

describe('public display mode', () => {
  it("lets an anonymous screen read the wall's data and go live", async () => {
    for (const path of ['/api/network', '/api/kpi', '/api/client-config']) expect(await status('GET', path)).toBe(200);
    const me = await (await server.fetch(`${server.url}/api/auth/me`)).json();
    expect(me).toMatchObject({ kind: 'public', role: 'wall' });
    const socket = socketFor(server.url, LIVE_NAMESPACE, null);
    try {
      const snapshot = await new Promise<LiveSnapshot>((resolve) => socket.once('live:snapshot', resolve));
      expect(snapshot.kpi.registeredVolunteers).toBeGreaterThan(0);
    } finally {
      socket.close();
    }
  });

  it('keeps anonymous callers read-only: no ingest, metrics or token admin', async () => {
    expect(await status('POST', '/api/v1/events', {}, [checkin()])).toBe(401);
    expect(await status('GET', '/metrics')).toBe(401);
    expect(await status('GET', '/api/auth/tokens')).toBe(401);
    expect(await status('POST', '/api/auth/tokens', {}, { role: 'wall', label: 'x' })).toBe(401);
    expect(await handshake(server.url, INGEST_NAMESPACE, null)).toBe('AUTH_UNAUTHENTICATED');
  });

  it('still refuses a wrong token rather than reading on anonymously, and a device still may not read', async () => {
    expect(await status('GET', '/api/kpi', { authorization: 'Bearer wrong' })).toBe(401);
    expect(await handshake(server.url, LIVE_NAMESPACE, { token: 'wrong' })).toBe('AUTH_UNAUTHENTICATED');
    expect(await status('GET', '/api/kpi', { authorization: `Bearer ${server.token}` })).toBe(403);
  });
});
