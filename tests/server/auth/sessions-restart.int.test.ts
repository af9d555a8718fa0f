/**
 * Sessions survive a restart of the real server (README "Roles and access"): a dispatcher's cookie
 * and open console socket carry on without a new login, while a session ended before the restart —
 * by logout, or by an admin ending the account's sessions — stays ended after it. The session log
 * on disk holds keys (hashes of the ids), never an id.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionKey } from '../../../server/auth/sessions.js';
import type { Principal } from '../../../shared/auth.js';
import {
  DISPATCH_NAMESPACE,
  type DispatchClientToServer,
  type DispatchServerToClient,
  type DispatchSnapshot,
} from '../../../shared/dispatch.js';
import type { Result } from '../../../shared/result.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { handshake, headersFor } from '../../helpers/auth.js';

const PASSWORD = 'a test password for people';
let server: TestApp;

const get = (path: string, cookie: string) => server.fetch(`${server.url}${path}`, { headers: headersFor({ cookie }) });
const post = (path: string, cookie: string) =>
  server.fetch(`${server.url}${path}`, { method: 'POST', headers: { cookie } });
/** The session id inside a signed cookie `wmsj_session=<id>.<signature>`. */
const idOf = (cookie: string) => decodeURIComponent(cookie.split('=')[1] ?? '').replace(/\.[^.]*$/, '');

beforeAll(async () => {
  server = await startApp({
    users: [
      { username: 'd-i03', password: PASSWORD, role: 'dispatcher', scope: 'I03' },
      { username: 'leaving', password: PASSWORD, role: 'dispatcher', scope: 'district' },
      { username: 'ended', password: PASSWORD, role: 'leader' },
    ],
  });
});
afterAll(async () => {
  await server.close();
});

describe('sessions across a restart', () => {
  it('keeps an open console working without a new login; ended sessions stay ended', async () => {
    const admin = await server.login();
    const desk = await server.login('d-i03', PASSWORD);
    const loggedOut = await server.login('leaving', PASSWORD);
    const endedByAdmin = await server.login('ended', PASSWORD);
    expect((await post('/api/auth/logout', loggedOut)).status).toBe(204);
    expect((await post('/api/v1/admin/users/ended/disable', admin)).status).toBe(200);
    expect((await post('/api/v1/admin/users/ended/enable', admin)).status).toBe(200);

    // The console's socket, reconnecting by itself as the browser's does.
    const socket: Socket<DispatchServerToClient, DispatchClientToServer> = io(`${server.url}${DISPATCH_NAMESPACE}`, {
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 200,
      reconnectionDelayMax: 1_000,
      extraHeaders: { cookie: desk },
    });
    const snapshots: DispatchSnapshot[] = [];
    socket.on('dispatch:snapshot', (s) => snapshots.push(s));
    // As client/stores/dispatch.ts does: a server that closes the socket (a stop) is dialled again.
    socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') socket.connect();
    });
    const refusals: string[] = [];
    socket.on('connect_error', (e: Error & { data?: { code?: string } }) => refusals.push(e.data?.code ?? 'transport'));
    await new Promise((resolve) => socket.once('connect', () => resolve(null)));
    expect((await get('/api/v1/orders', desk)).status).toBe(200);

    const log = readFileSync(join(server.dataDir, 'sessions.jsonl'), 'utf8');
    expect(log).toContain(sessionKey(idOf(desk)));
    for (const cookie of [desk, loggedOut, endedByAdmin, admin]) expect(log).not.toContain(idOf(cookie));
    expect(statSync(join(server.dataDir, 'sessions.jsonl')).mode & 0o777).toBe(0o600);

    const dropped = new Promise((resolve) => socket.once('disconnect', resolve));
    await server.stop();
    await dropped;
    const back = new Promise((resolve) => socket.once('connect', () => resolve(null)));
    server = await startApp({
      dataDir: server.dataDir,
      port: server.port,
      env: { USERS_FILE: join(server.dataDir, 'test-users.json') },
    });

    const me = (await (await get('/api/auth/me', desk)).json()) as Principal;
    expect(me).toMatchObject({ kind: 'user', id: 'd-i03', scope: 'I03' });
    expect((await get('/api/v1/orders', desk)).status).toBe(200);
    await back;
    expect(refusals.filter((r) => r !== 'transport')).toEqual([]);
    const resync = await new Promise<Result<DispatchSnapshot>>((resolve) => socket.emit('dispatch:resync', resolve));
    expect(resync.ok).toBe(true);
    expect(snapshots.length).toBeGreaterThanOrEqual(2);
    socket.close();

    for (const cookie of [loggedOut, endedByAdmin]) {
      expect((await get('/api/auth/me', cookie)).status).toBe(401);
      expect(await handshake(server.url, DISPATCH_NAMESPACE, { cookie })).toBe('AUTH_UNAUTHENTICATED');
    }
    // And a logout after the restart ends the session that came through it.
    expect((await post('/api/auth/logout', desk)).status).toBe(204);
    expect((await get('/api/auth/me', desk)).status).toBe(401);
  });
});
