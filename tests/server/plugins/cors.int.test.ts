/**
 * The CORS allow-list (CORS_ORIGINS) on HTTP and Socket.IO: a listed origin gets the CORS headers
 * and its sockets connect; any other origin gets no CORS headers, and its socket handshakes are
 * refused (WebSocket has no CORS, so the server checks Origin itself). Clients that send no Origin
 * (devices, scripts) and the server's own pages are unaffected.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_NAMESPACE } from '../../../shared/live.js';
import { startApp, type TestApp } from '../../helpers/app.js';

const ALLOWED = 'https://leaders.example.gov.cn';
const FOREIGN = 'https://evil.example';
let server: TestApp | undefined;

beforeAll(async () => {
  server = await startApp({ env: { CORS_ORIGINS: `${ALLOWED}, http://localhost:5173` } });
});
afterAll(async () => {
  await server?.close();
});

const app = (): TestApp => {
  if (!server) throw new Error('server not started');
  return server;
};

/** Connects to /live as a wall from a page at `origin` (or no Origin at all): the handshake's fate. */
async function handshake(origin: string | null, transport: 'websocket' | 'polling'): Promise<string> {
  const socket = io(`${app().url}${LIVE_NAMESPACE}`, {
    transports: [transport],
    forceNew: true,
    reconnection: false,
    auth: { token: await app().wallToken() },
    ...(origin ? { extraHeaders: { origin } } : {}),
  });
  try {
    return await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (e) => resolve(e.message));
    });
  } finally {
    socket.close();
  }
}

describe('CORS allow-list', () => {
  it('answers a listed origin with CORS headers, credentials included', async () => {
    const response = await fetch(`${app().url}/api/health`, { headers: { origin: ALLOWED } });
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('vary')).toMatch(/origin/i);

    const preflight = await fetch(`${app().url}/api/v1/events`, {
      method: 'OPTIONS',
      headers: {
        origin: ALLOWED,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);
  });

  it('gives any other origin no CORS headers, on simple requests and preflights', async () => {
    const response = await fetch(`${app().url}/api/health`, { headers: { origin: FOREIGN } });
    expect(response.status).toBe(200); // served, but a browser will not hand it to the foreign page
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${app().url}/api/v1/events`, {
      method: 'OPTIONS',
      headers: { origin: FOREIGN, 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('refuses socket handshakes from other origins, over WebSocket and long-polling', async () => {
    expect(await handshake(FOREIGN, 'websocket')).not.toBe('connected');
    expect(await handshake(FOREIGN, 'polling')).not.toBe('connected');
    const refused = await fetch(`${app().url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: FOREIGN } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets listed origins, the server itself and clients without an Origin open sockets', async () => {
    expect(await handshake(ALLOWED, 'websocket')).toBe('connected');
    expect(await handshake(ALLOWED, 'polling')).toBe('connected');
    expect(await handshake(`http://127.0.0.1:${app().port}`, 'websocket')).toBe('connected');
    expect(await handshake(null, 'websocket')).toBe('connected');
    const polling = await fetch(`${app().url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: ALLOWED } });
    expect(polling.status).toBe(200);
    expect(polling.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });
});
