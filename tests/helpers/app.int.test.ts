/**
 * The in-process app the integration tests build (tests/helpers/app.ts): its `fetch` through
 * `app.inject` answers exactly what the same app answers over a socket, and closing it lets go of
 * everything it held — the port, the data directory, watchers, timers and sockets.
 */
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_NAMESPACE } from '../../shared/live.js';
import { startApp, type TestApp } from './app.js';
import { socketFor } from './auth.js';
import { eventually, TEST_ADMIN_PASSWORD } from './server.js';

/** Headers that differ between two answers for reasons of their own: the clock, the connection, the rate limiter's count. */
const VOLATILE = /^(date|connection|keep-alive|transfer-encoding|x-ratelimit-.*|retry-after)$/;

/** What a test can read of an answer; a session cookie's value is random, its attributes are not. */
async function seen(response: Response) {
  const headers = [...response.headers]
    .filter(([name]) => !VOLATILE.test(name))
    .map(([name, value]) => [name, name === 'set-cookie' ? value.replace(/=[^;]*/, '=…') : value]);
  return { status: response.status, headers, body: await response.text() };
}

/** The resources an app makes that keep a process alive: listening and connected sockets, file watchers, timers. */
const held = () =>
  process
    .getActiveResourcesInfo()
    .filter((r) => ['TCPServerWrap', 'TCPSocketWrap', 'FSEventWrap', 'Timeout'].includes(r))
    .sort();

let server: TestApp;

beforeAll(async () => {
  server = await startApp();
});
afterAll(async () => {
  await server.close();
});

describe('the in-process app', () => {
  it('answers through inject what it answers over the wire', async () => {
    const admin = await server.login();
    const requests: [string, RequestInit][] = [
      ['/api/health', {}],
      ['/api/kpi', { headers: { authorization: 'Bearer wrong' } }],
      ['/api/auth/me', { headers: { cookie: admin } }],
      ['/api/no-such-route', {}],
      ['/docs', {}],
      ['/api/v1/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":' }],
      [
        '/api/auth/login',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
        },
      ],
    ];
    for (const [path, init] of requests) {
      const injected = await seen(await server.fetch(`${server.url}${path}`, init));
      const wired = await seen(await fetch(`${server.url}${path}`, init));
      expect({ path, ...injected }).toEqual({ path, ...wired });
    }
  });

  it('refuses a URL on another origin rather than leave the process', async () => {
    await expect(server.fetch('http://127.0.0.2:9/api/health')).rejects.toThrow(/reaches .* only/);
  });

  it('lets go of the port, the data, watchers, timers and sockets when closed', async () => {
    const socket = socketFor(server.url, LIVE_NAMESPACE, { token: await server.wallToken() });
    await new Promise((resolve) => socket.once('live:snapshot', resolve));
    const dropped = new Promise((resolve) => socket.once('disconnect', resolve));
    await server.close();
    await dropped;
    socket.close();
    expect(existsSync(server.dataDir)).toBe(false);
    expect(existsSync(server.config.BACKUP_DIR)).toBe(false);
    const refused = await new Promise<string>((resolve) => {
      const probe = connect(server.port, '127.0.0.1');
      probe.once('connect', () => resolve('connected'));
      probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    expect(refused).toBe('ECONNREFUSED');
    // Sockets the app cut finish closing on the client's side a moment later.
    await eventually(() => (held().length === 0 ? true : undefined));
    expect(held()).toEqual([]);
  });
});
