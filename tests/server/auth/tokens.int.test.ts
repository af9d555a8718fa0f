/**
 * Wall and device tokens on the real server: created once by an admin, stored hashed, revoked at
 * once (HTTP, new sockets and sockets already open), and still valid after a restart.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenInfo } from '../../../shared/auth.js';
import { INGEST_NAMESPACE } from '../../../shared/ingest.js';
import { LIVE_NAMESPACE } from '../../../shared/live.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { handshake, headersFor, socketFor, type Credential } from '../../helpers/auth.js';
import { checkin } from '../../helpers/events.js';

let server: TestApp;
let admin: Credential;

const call = (method: string, path: string, credential: Credential, body?: unknown) =>
  server.fetch(`${server.url}${path}`, {
    method,
    headers: { ...headersFor(credential), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

beforeAll(async () => {
  server = await startApp();
  admin = { cookie: await server.login() };
});
afterAll(async () => {
  await server.close();
});

describe('wall and device tokens', () => {
  it('shows the secret once, lists the token without it, and stores only a hash', async () => {
    const { token, info } = await server.createToken({ role: 'wall', label: '指挥中心主屏', scope: 'I02' });
    expect(info).toMatchObject({ role: 'wall', scope: 'I02', createdBy: 'admin', revokedAt: null });
    const list = (await (await call('GET', '/api/auth/tokens', admin)).json()) as TokenInfo[];
    expect(list.find((t) => t.id === info.id)).toEqual(info);
    expect(JSON.stringify(list)).not.toContain(token);
    expect(readFileSync(`${server.dataDir}/tokens.json`, 'utf8')).not.toContain(token);
    expect(readFileSync(`${server.dataDir}/audit.jsonl`, 'utf8')).toContain(`"subject":"${info.id}"`);
  });

  it('stops a revoked wall token at once: HTTP, a new socket, and the socket already open', async () => {
    const { token, info } = await server.createToken({ role: 'wall', label: 'to revoke' });
    expect((await call('GET', '/api/network', { token })).status).toBe(200);
    const socket = socketFor(server.url, LIVE_NAMESPACE, { token });
    await new Promise((resolve) => socket.once('live:snapshot', resolve));
    const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    const revoked = await call('DELETE', `/api/auth/tokens/${info.id}`, admin);
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as TokenInfo).revokedAt).toEqual(expect.any(Number));
    expect(await dropped).toBe('io server disconnect');
    const refused = await call('GET', '/api/network', { token });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'AUTH_UNAUTHENTICATED' });
    expect(await handshake(server.url, LIVE_NAMESPACE, { token })).toBe('AUTH_UNAUTHENTICATED');
  });

  it('lets a device token ingest but not read the wall, and a wall token read but never ingest', async () => {
    const device = { token: (await server.createToken({ role: 'device', label: '扫码终端' })).token };
    const wall = { token: await server.wallToken() };
    expect((await call('POST', '/api/v1/events', device, [checkin()])).status).toBe(200);
    expect(await handshake(server.url, INGEST_NAMESPACE, device)).toBe('connected');
    expect((await call('GET', '/api/kpi', device)).status).toBe(403);
    expect(await handshake(server.url, LIVE_NAMESPACE, device)).toBe('AUTH_FORBIDDEN');
    expect((await call('POST', '/api/v1/events', wall, [checkin()])).status).toBe(403);
    expect(await handshake(server.url, INGEST_NAMESPACE, wall)).toBe('AUTH_FORBIDDEN');
  });

  it('refuses bad token requests with stable codes', async () => {
    const expectCode = async (response: Response, status: number, code: string) => {
      expect(response.status).toBe(status);
      expect(await response.json()).toMatchObject({ code });
    };
    await expectCode(await call('DELETE', '/api/auth/tokens/t-ffffffffffff', admin), 404, 'AUTH_TOKEN_NOT_FOUND');
    await expectCode(await call('DELETE', '/api/auth/tokens/config-1', admin), 409, 'AUTH_TOKEN_CONFIGURED');
    await expectCode(
      await call('POST', '/api/auth/tokens', admin, { role: 'wall', label: 'x', scope: 'I99' }),
      400,
      'REQ_VALIDATION',
    );
    await expectCode(
      await call('POST', '/api/auth/tokens', admin, { role: 'admin', label: 'x' }),
      400,
      'REQ_VALIDATION',
    );
  });

  it('keeps wall tokens across a restart, and people stay logged in', async () => {
    const wall = { token: await server.wallToken() };
    expect(await server.stop()).toBe(0);
    server = await startApp({ dataDir: server.dataDir });
    expect((await call('GET', '/api/network', wall)).status).toBe(200);
    expect(await handshake(server.url, LIVE_NAMESPACE, wall)).toBe('connected');
    expect((await call('GET', '/api/auth/me', admin)).status).toBe(200);
  });
});
