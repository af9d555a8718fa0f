/**
 * The accounts API on the real server (README "Roles and access"): an admin creates accounts,
 * resets passwords, disables and enables them (sessions and sockets end at once), sees and clears
 * lockouts; every act and refusal is on the audit trail, and every change survives a restart.
 * Which callers may reach these routes at all is in auth.test.ts's matrix.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LockoutList, UserInfo, UserList } from '../../../shared/admin.js';
import { DISPATCH_NAMESPACE } from '../../../shared/dispatch.js';
import { LIVE_NAMESPACE } from '../../../shared/live.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { handshake, headersFor, socketFor, type Credential } from '../../helpers/auth.js';
import { TEST_ADMIN_PASSWORD } from '../../helpers/server.js';

const PASSWORD = 'a test password for people';
const NEW_PASSWORD = 'another password, long enough';
let server: TestApp;
let admin: Credential;

const call = (method: string, path: string, credential: Credential, body?: unknown) =>
  server.fetch(`${server.url}${path}`, {
    method,
    headers: { ...headersFor(credential), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const json = async <T>(response: Promise<Response>, status: number): Promise<T> => {
  const r = await response;
  const body = (await r.json()) as T;
  expect({ status: r.status, body }).toMatchObject({ status });
  return body;
};
const code = async (response: Promise<Response>): Promise<string> =>
  `${(await response).status} ${((await (await response).json()) as { code: string }).code}`;
const login = (username: string, password: string) =>
  server.fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
const audit = () =>
  readFileSync(`${server.dataDir}/audit.jsonl`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { action: string; actor: string; subject?: string; result: string });
const connected = async (namespace: string, cookie: string): Promise<Socket> => {
  const socket = socketFor(server.url, namespace, { cookie });
  await new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(null));
    socket.once('connect_error', reject);
  });
  return socket;
};

beforeAll(async () => {
  server = await startApp({
    users: [
      { username: 'lead', password: PASSWORD, role: 'leader' },
      { username: 'd-i03', password: PASSWORD, role: 'dispatcher', scope: 'I03' },
      { username: 'guessed', password: PASSWORD, role: 'leader' },
    ],
  });
  admin = { cookie: await server.login() };
});
afterAll(async () => {
  await server.close();
});

describe('accounts', () => {
  it('lists every account with its role, scope and state, never a hash', async () => {
    const response = call('GET', '/api/v1/admin/users', admin);
    const { users } = await json<UserList>(response, 200);
    expect(users.map((u) => u.username)).toEqual(['admin', 'd-i03', 'guessed', 'lead']);
    expect(users.find((u) => u.username === 'd-i03')).toEqual({
      username: 'd-i03',
      name: 'd-i03',
      role: 'dispatcher',
      scope: 'I03',
      disabled: false,
      lockedOutUntil: null,
      createdAt: null,
    });
    expect(JSON.stringify(users)).not.toMatch(/argon2|passwordHash/);
  });

  it('creates a town dispatcher who logs in at once; the file keeps only the hash, owner-only', async () => {
    const before = Date.now();
    const body = { username: 'wang.fang', name: '王芳', role: 'dispatcher', scope: 'I02', password: PASSWORD };
    const created = await json<UserInfo>(call('POST', '/api/v1/admin/users', admin, body), 201);
    expect(created).toMatchObject({ username: 'wang.fang', name: '王芳', role: 'dispatcher', scope: 'I02' });
    expect(created.createdAt).toBeGreaterThanOrEqual(before);
    const me = await json(call('GET', '/api/auth/me', { cookie: await server.login('wang.fang', PASSWORD) }), 200);
    expect(me).toMatchObject({ id: 'wang.fang', role: 'dispatcher', scope: 'I02' });
    const file = join(server.dataDir, 'test-users.json');
    expect(readFileSync(file, 'utf8')).toContain('"username": "wang.fang"');
    expect(readFileSync(file, 'utf8')).not.toContain(PASSWORD);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const leader = { username: 'li.lei', role: 'leader', password: PASSWORD };
    expect(await json(call('POST', '/api/v1/admin/users', admin, leader), 201)).toMatchObject({ scope: 'district' });
    const second = { username: 'admin2', role: 'admin', password: PASSWORD };
    expect(await json(call('POST', '/api/v1/admin/users', admin, second), 201)).toMatchObject({ role: 'admin' });
    expect(
      audit()
        .filter((l) => l.action === 'user.created' && l.result === 'ok')
        .map((l) => l.subject),
    ).toEqual(['wang.fang', 'li.lei', 'admin2']);
  });

  it('refuses a duplicate username in any case, and every bad body with a stable code', async () => {
    const good = { username: 'zhao.min', role: 'dispatcher', scope: 'district', password: PASSWORD };
    const bad: [unknown, string][] = [
      [{ ...good, username: 'WANG.FANG' }, '409 ADMIN_USER_EXISTS'],
      [{ ...good, password: 'short pass' }, '400 REQ_VALIDATION'],
      [{ ...good, scope: undefined }, '400 ADMIN_USER_INVALID'],
      [{ ...good, scope: 'I99' }, '400 ADMIN_USER_INVALID'],
      [{ ...good, scope: 'somewhere' }, '400 REQ_VALIDATION'],
      [{ ...good, role: 'wall' }, '400 REQ_VALIDATION'],
      [{ ...good, username: 'has space' }, '400 REQ_VALIDATION'],
      [{ ...good, passwordHash: '$argon2id$v=19$x' }, '400 REQ_VALIDATION'],
      [{ username: 'zhao.min', role: 'leader' }, '400 REQ_VALIDATION'],
      [[good], '400 REQ_VALIDATION'],
    ];
    const answers = [];
    for (const [body] of bad) answers.push(await code(call('POST', '/api/v1/admin/users', admin, body)));
    expect(answers).toEqual(bad.map(([, want]) => want));
    expect(audit().filter((l) => l.action === 'user.created' && l.result === 'refused')).toEqual([
      expect.objectContaining({ actor: 'admin', subject: 'WANG.FANG (ADMIN_USER_EXISTS)' }),
      expect.objectContaining({ subject: 'zhao.min (ADMIN_USER_INVALID)' }),
      expect.objectContaining({ subject: 'zhao.min (ADMIN_USER_INVALID)' }),
    ]);
    const { users } = await json<UserList>(call('GET', '/api/v1/admin/users', admin), 200);
    expect(users.map((u) => u.username)).not.toContain('zhao.min');
  });

  it("resets a password: the account's sessions and sockets end, the new password logs in", async () => {
    const cookie = await server.login('lead', PASSWORD);
    const live = await connected(LIVE_NAMESPACE, cookie);
    const dropped = new Promise((resolve) => live.once('disconnect', resolve));
    const path = '/api/v1/admin/users/lead/password';
    expect(await json(call('POST', path, admin, { password: NEW_PASSWORD }), 200)).toMatchObject({ username: 'lead' });
    expect(await dropped).toBe('io server disconnect');
    expect((await call('GET', '/api/auth/me', { cookie })).status).toBe(401);
    expect((await login('lead', PASSWORD)).status).toBe(401);
    expect((await login('lead', NEW_PASSWORD)).status).toBe(200);
    expect(await code(call('POST', '/api/v1/admin/users/nobody/password', admin, { password: NEW_PASSWORD }))).toBe(
      '404 ADMIN_USER_NOT_FOUND',
    );
    expect(await code(call('POST', path, admin, { password: 'too short' }))).toBe('400 REQ_VALIDATION');
    expect(await code(call('POST', path, admin, { password: NEW_PASSWORD, extra: 1 }))).toBe('400 REQ_VALIDATION');
    expect(
      audit()
        .filter((l) => l.action === 'user.password_reset')
        .map((l) => `${l.subject} ${l.result}`),
    ).toEqual(['lead ok', 'nobody (ADMIN_USER_NOT_FOUND) refused']);
  });

  it('keeps the caller its own session when it changes its own password', async () => {
    const own = { cookie: await server.login('admin2', PASSWORD) };
    const other = { cookie: await server.login('admin2', PASSWORD) };
    await json(call('POST', '/api/v1/admin/users/admin2/password', own, { password: NEW_PASSWORD }), 200);
    expect((await call('GET', '/api/auth/me', own)).status).toBe(200);
    expect((await call('GET', '/api/auth/me', other)).status).toBe(401);
  });
});

describe('disabling', () => {
  it('ends every session and socket of the account at once, on /live, /dispatch and HTTP', async () => {
    const desk = await server.login('d-i03', PASSWORD);
    const laptop = await server.login('d-i03', PASSWORD);
    const live = await connected(LIVE_NAMESPACE, desk);
    const dispatch = await connected(DISPATCH_NAMESPACE, laptop);
    const liveDropped = new Promise((resolve) => live.once('disconnect', resolve));
    const dispatchDropped = new Promise((resolve) => dispatch.once('disconnect', () => resolve('disconnected')));
    const disabled = await json<UserInfo>(call('POST', '/api/v1/admin/users/d-i03/disable', admin), 200);
    expect(disabled).toMatchObject({ username: 'd-i03', disabled: true });
    // Were the socket still open on the server, it would answer; closed, only the disconnect can come.
    const answered = new Promise((resolve) => dispatch.emit('dispatch:resync', () => resolve('answered')));
    expect(await Promise.race([dispatchDropped, answered])).toBe('disconnected');
    expect(await liveDropped).toBe('io server disconnect');
    for (const cookie of [desk, laptop]) expect((await call('GET', '/api/auth/me', { cookie })).status).toBe(401);
    expect(await code(login('d-i03', PASSWORD))).toBe('403 AUTH_ACCOUNT_DISABLED');
    expect(await code(login('d-i03', 'a wrong password'))).toBe('401 AUTH_INVALID_CREDENTIALS');
    const { users } = await json<UserList>(call('GET', '/api/v1/admin/users', admin), 200);
    expect(users.find((u) => u.username === 'd-i03')?.disabled).toBe(true);

    expect(await json(call('POST', '/api/v1/admin/users/d-i03/enable', admin), 200)).toMatchObject({ disabled: false });
    const back = await server.login('d-i03', PASSWORD);
    expect(await handshake(server.url, DISPATCH_NAMESPACE, { cookie: back })).toBe('connected');
    expect(
      audit()
        .filter((l) => l.subject === 'd-i03')
        .map((l) => `${l.action} ${l.result}`),
    ).toEqual(['user.disabled ok', 'user.enabled ok']);
  });

  it('never disables the last enabled admin, nor an admin themself', async () => {
    const two = { cookie: await server.login('admin2', NEW_PASSWORD) };
    expect((await call('POST', '/api/v1/admin/users/admin/disable', two)).status).toBe(200);
    expect((await call('GET', '/api/auth/me', admin)).status).toBe(401);
    expect(await code(call('POST', '/api/v1/admin/users/admin2/disable', two))).toBe('409 ADMIN_LAST_ADMIN');
    await json(call('POST', '/api/v1/admin/users/admin/enable', two), 200);
    admin = { cookie: await server.login('admin', TEST_ADMIN_PASSWORD) };
    expect(await code(call('POST', '/api/v1/admin/users/admin/disable', admin))).toBe('409 ADMIN_SELF_DISABLE');
    expect(await code(call('POST', '/api/v1/admin/users/nobody/disable', admin))).toBe('404 ADMIN_USER_NOT_FOUND');
    expect(await code(call('POST', '/api/v1/admin/users/nobody/enable', admin))).toBe('404 ADMIN_USER_NOT_FOUND');
    expect(await code(call('POST', '/api/v1/admin/users/bad%20name/disable', admin))).toBe('400 REQ_VALIDATION');
    expect(audit().filter((l) => l.result === 'refused' && l.action === 'user.disabled')).toEqual([
      expect.objectContaining({ actor: 'admin2', subject: 'admin2 (ADMIN_LAST_ADMIN)' }),
      expect.objectContaining({ actor: 'admin', subject: 'admin (ADMIN_SELF_DISABLE)' }),
      expect.objectContaining({ actor: 'admin', subject: 'nobody (ADMIN_USER_NOT_FOUND)' }),
    ]);
  });
});

describe('lockouts', () => {
  it('shows who is locked out from where and until when, and unlocks them', async () => {
    for (let i = 0; i < 5; i += 1) await login('guessed', `wrong ${i}`);
    expect(await code(login('guessed', PASSWORD))).toBe('429 AUTH_LOCKED_OUT');
    const { lockouts } = await json<LockoutList>(call('GET', '/api/v1/admin/lockouts', admin), 200);
    expect(lockouts).toEqual([
      { username: 'guessed', ip: '127.0.0.1', failures: 5, until: expect.any(Number) as number },
    ]);
    expect(lockouts[0]?.until).toBeGreaterThan(Date.now());
    const { users } = await json<UserList>(call('GET', '/api/v1/admin/users', admin), 200);
    expect(users.find((u) => u.username === 'guessed')?.lockedOutUntil).toBe(lockouts[0]?.until);

    const cleared = call('DELETE', '/api/v1/admin/lockouts/Guessed', admin);
    expect(await json(cleared, 200)).toEqual({ username: 'guessed', cleared: 1 });
    expect(await json<LockoutList>(call('GET', '/api/v1/admin/lockouts', admin), 200)).toEqual({ lockouts: [] });
    expect((await login('guessed', PASSWORD)).status).toBe(200);
    expect(await json(call('DELETE', '/api/v1/admin/lockouts/guessed', admin), 200)).toEqual({
      username: 'guessed',
      cleared: 0,
    });
    expect(
      audit()
        .filter((l) => l.action === 'lockout.cleared')
        .map((l) => `${l.actor} ${l.subject}`),
    ).toEqual(['admin Guessed', 'admin guessed']);
  });
});

describe('after a restart', () => {
  it('keeps the accounts the admin created, disabled and changed', async () => {
    await json(call('POST', '/api/v1/admin/users/li.lei/disable', admin), 200);
    await server.stop();
    server = await startApp({
      dataDir: server.dataDir,
      env: { USERS_FILE: join(server.dataDir, 'test-users.json') },
    });
    admin = { cookie: await server.login() };
    const { users } = await json<UserList>(call('GET', '/api/v1/admin/users', admin), 200);
    expect(users.find((u) => u.username === 'wang.fang')).toMatchObject({
      name: '王芳',
      scope: 'I02',
      disabled: false,
    });
    expect(users.find((u) => u.username === 'li.lei')?.disabled).toBe(true);
    expect((await login('lead', NEW_PASSWORD)).status).toBe(200);
    expect(await code(login('li.lei', PASSWORD))).toBe('403 AUTH_ACCOUNT_DISABLED');
  });
});
