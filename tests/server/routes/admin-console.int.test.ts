/**
 * The admin console's server side on the real server: wall tokens that open a dashboard, the live
 * list of connected screens (and a revoked screen leaving it at once), the audit trail's filters
 * and paging, and each dashboard file's state as the hot reload sees it.
 */
import { cpSync, mkdtempSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage } from '../../../shared/audit.js';
import type { TokenCreated } from '../../../shared/auth.js';
import type { DashboardFiles } from '../../../shared/dashboard.js';
import { LIVE_NAMESPACE, type LiveClientToServer, type LiveServerToClient } from '../../../shared/live.js';
import type { Screen, ScreenList } from '../../../shared/screens.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { eventually } from '../../helpers/server.js';

type LiveSocket = Socket<LiveServerToClient, LiveClientToServer>;
const SHIPPED = fileURLToPath(new URL('../../../dashboards/', import.meta.url));
const PASSWORD = 'a leader password';

let server: TestApp;
let dir: string;
let admin: string;
const sockets: LiveSocket[] = [];

const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
  const response = await server.fetch(`${server.url}${path}`, {
    method,
    headers: { cookie: admin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
};
const screens = async () => ((await call('GET', '/api/v1/admin/screens')).body as ScreenList).screens;
const files = async () => ((await call('GET', '/api/v1/admin/dashboards')).body as DashboardFiles).files;
const audit = async (query: string) => (await call('GET', `/api/v1/audit?${query}`)).body as AuditPage;

function wall(token: string, scope?: string): Promise<LiveSocket> {
  const socket: LiveSocket = io(`${server.url}${LIVE_NAMESPACE}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { token, ...(scope ? { scope } : {}) },
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('live:snapshot', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'admin-dashboards-'));
  cpSync(SHIPPED, dir, { recursive: true });
  server = await startApp({
    env: { DASHBOARDS_DIR: dir },
    users: [{ username: 'leader', password: PASSWORD, role: 'leader' }],
  });
  admin = await server.login();
}, 180_000);

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server.close();
});

describe('wall tokens with a dashboard', () => {
  it('keeps the dashboard on the token, and refuses an unknown one or one on a device token', async () => {
    const made = await call('POST', '/api/auth/tokens', {
      role: 'wall',
      label: '大厅屏',
      scope: 'I03',
      dashboard: 'town',
    });
    expect(made.status).toBe(201);
    expect((made.body as TokenCreated).info).toMatchObject({ scope: 'I03', dashboard: 'town' });
    const unknown = await call('POST', '/api/auth/tokens', {
      role: 'wall',
      label: 'x',
      dashboard: 'nowhere',
    });
    expect(unknown).toMatchObject({ status: 400, body: { code: 'REQ_VALIDATION' } });
    const device = await call('POST', '/api/auth/tokens', {
      role: 'device',
      label: 'x',
      dashboard: 'town',
    });
    expect(device).toMatchObject({ status: 400, body: { code: 'REQ_VALIDATION' } });
  });
});

describe('connected screens', () => {
  it('lists each wall with its scope, dashboard, version, address and last frame; a revoked one leaves at once', async () => {
    const made = (await call('POST', '/api/auth/tokens', { role: 'wall', label: '三楼屏', scope: 'I03' }))
      .body as TokenCreated;
    const socket = await wall(made.token);
    socket.emit('live:screen', { dashboard: 'town', version: '0.1.0+test' });
    const listed = await eventually(async () =>
      (await screens()).find((s) => s.principal === made.info.id && s.dashboard !== null),
    );
    expect(listed).toMatchObject<Partial<Screen>>({
      kind: 'token',
      name: '三楼屏',
      role: 'wall',
      scope: 'I03',
      dashboard: 'town',
      version: '0.1.0+test',
    });
    expect(listed.address).toMatch(/127\.0\.0\.1/);
    expect(listed.lastFrameAgeMs).not.toBeNull();

    // A malformed report is ignored, not stored.
    socket.emit('live:screen', { dashboard: '../etc', version: 'x' });
    socket.emit('live:screen', { dashboard: 'leadership', version: '0.1.0+test' });
    await eventually(async () =>
      (await screens()).find((s) => s.id === listed.id)?.dashboard === 'leadership' ? true : undefined,
    );

    const gone = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    expect((await call('DELETE', `/api/auth/tokens/${made.info.id}`)).status).toBe(200);
    expect(await gone).toBe('io server disconnect');
    expect((await screens()).some((s) => s.principal === made.info.id)).toBe(false);
  });

  it('is for admins only', async () => {
    const leader = await server.login('leader', PASSWORD);
    const response = await server.fetch(`${server.url}/api/v1/admin/screens`, { headers: { cookie: leader } });
    expect(response.status).toBe(403);
  });
});

describe('the audit trail', () => {
  it('filters by action, actor, refusals and time, and pages newest first', async () => {
    for (let i = 0; i < 3; i += 1) {
      await server.fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'leader', password: `wrong ${i}` }),
      });
    }
    const refused = await audit('action=auth.login_failed&result=refused&actor=LEAD');
    expect(refused.entries).toHaveLength(3);
    expect(refused.entries.every((e) => e.actor === 'leader' && e.result === 'refused')).toBe(true);
    expect(refused.actions).toContain('token.revoked');
    // The store answered: every node's acts, not only this node's file.
    expect(refused.nodeOnly).toBe(false);

    const first = await audit('action=auth.login_failed&limit=2');
    const second = await audit('action=auth.login_failed&limit=2&offset=2');
    expect(first.more).toBe(true);
    expect(second).toMatchObject({ more: false });
    expect([...first.entries, ...second.entries]).toEqual(refused.entries);
    const [newest, , oldest] = refused.entries;
    expect(newest && oldest && newest.ts >= oldest.ts).toBe(true);

    const lines = readFileSync(`${server.dataDir}/audit.jsonl`, 'utf8').trim().split('\n');
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await audit(`from=${encodeURIComponent(future)}`)).entries).toEqual([]);
    expect((await audit(`to=${encodeURIComponent(future)}&limit=1000`)).entries).toHaveLength(lines.length);
    expect((await call('GET', '/api/v1/audit?from=yesterday')).status).toBe(400);
  });
});

describe('dashboard files', () => {
  it('says each file is valid, then names the field of a broken edit and a removed file', async () => {
    expect((await files()).map((f) => [f.file, f.state])).toContainEqual(['town.json', 'valid']);
    const path = join(dir, 'leadership.json');
    const original = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    writeFileSync(path, JSON.stringify({ ...original, grid: { columns: 0, rows: 12 } }));
    const broken = await eventually(async () =>
      (await files()).find((f) => f.file === 'leadership.json' && f.state === 'invalid'),
    );
    expect(broken).toMatchObject({ field: 'grid/columns', inUse: true });
    expect(broken.problem).not.toBe('');

    writeFileSync(path, JSON.stringify(original, null, 2));
    await eventually(async () => (await files()).find((f) => f.file === 'leadership.json' && f.state === 'valid'));

    unlinkSync(join(dir, 'evaluation.json'));
    const removed = await eventually(async () =>
      (await files()).find((f) => f.file === 'evaluation.json' && f.state === 'removed'),
    );
    expect(removed.inUse).toBe(true);
  });
});
