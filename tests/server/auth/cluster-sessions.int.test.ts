/**
 * People's sessions, accounts, tokens and lockouts on several nodes (issue 18): two apps on one Redis
 * (tests/helpers/nodes.ts). A login at one node holds at the other; a logout at either ends the
 * session at both at once, its open sockets on the other node too; restarts of a node and of Redis
 * sign nobody out; Redis holds only the session's key (a hash), never the cookie's id. A wall token
 * made at one node opens a socket at the other, and its revocation ends that socket at once and is
 * refused at the next request; guesses split over the nodes lock as on one; disabling a person at
 * one node ends their socket at the other; no token's secret is in Redis or in either node's log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELD_NAMESPACE } from '../../../shared/field.js';
import { LIVE_NAMESPACE } from '../../../shared/live.js';
import type { TestApp } from '../../helpers/app.js';
import { startNodes, type TestNodes } from '../../helpers/nodes.js';
import { watchedSocket, type Watched } from '../../helpers/socket-watch.js';
import type { Credential } from '../../helpers/auth.js';
import { eventually, TEST_ADMIN_PASSWORD } from '../../helpers/server.js';
import { decideVolunteer, loginVolunteer, registerVolunteer, testPhone } from '../../helpers/volunteer.js';

const PASSWORD = 'a dispatcher password for two nodes';
const USERS = [
  { username: 'disp-a', password: PASSWORD, role: 'dispatcher' as const, scope: 'district' },
  { username: 'disp-b', password: PASSWORD, role: 'dispatcher' as const, scope: 'district' },
];

let cluster: TestNodes;
let a: TestApp;
let b: TestApp;
beforeAll(async () => {
  cluster = await startNodes(2, { users: USERS });
  [a, b] = cluster.nodes as [TestApp, TestApp];
}, 180_000);
afterAll(async () => {
  await cluster.close();
});

const me = async (node: TestApp, cookie: string) => (await node.fetch('/api/auth/me', { headers: { cookie } })).status;
const logout = async (node: TestApp, cookie: string) =>
  (await node.fetch('/api/auth/logout', { method: 'POST', headers: { cookie } })).status;
/** The session id inside a signed cookie (`wmsj_session=s:<id>.<signature>`). */
const idOf = (cookie: string) =>
  decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1))
    .replace(/^s:/, '')
    .split('.')[0] ?? '';

const bearerStatus = async (node: TestApp, token: string) =>
  (await node.fetch('/api/auth/me', { headers: { authorization: `Bearer ${token}` } })).status;
const login = async (node: TestApp, username: string, password: string) =>
  (
    await node.fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    })
  ).status;
const loginAt = async (node: TestApp, username: string, password: string) => {
  const response = await node.fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await response.json()) as { code?: string };
  return response.ok ? { status: response.status } : { status: response.status, code: body.code };
};
async function connected(node: TestApp, credential: Credential, namespace = LIVE_NAMESPACE): Promise<Watched> {
  const watched = watchedSocket(node.url, namespace, credential);
  await new Promise<void>((resolve, reject) => {
    watched.socket.once('connect', resolve);
    watched.socket.once('connect_error', reject);
  });
  return watched;
}

describe('sessions shared by two nodes', () => {
  it('a login at one node holds at the other, and a logout at either ends it at both at once', async () => {
    const cookie = await a.login();
    expect([await me(a, cookie), await me(b, cookie)]).toEqual([200, 200]);
    expect(await logout(b, cookie)).toBe(204);
    // A held the session in memory; it is refused there as soon as B has answered the logout.
    expect([await me(a, cookie), await me(b, cookie)]).toEqual([401, 401]);
  });

  it('a logout at one node closes the session’s sockets on the other', async () => {
    const cookie = await a.login();
    const watched = watchedSocket(b.url, LIVE_NAMESPACE, { cookie });
    await new Promise<void>((resolve, reject) => {
      watched.socket.once('connect', resolve);
      watched.socket.once('connect_error', reject);
    });
    const dropped = new Promise<string>((resolve) => watched.socket.once('disconnect', resolve));
    expect(await logout(a, cookie)).toBe(204);
    expect(await dropped).toBe('io server disconnect');
  });

  it('keeps only the session’s key in Redis, expiring with it', async () => {
    const cookie = await a.login();
    const client = cluster.redis.client();
    try {
      const keys = await client.keys('wmsj:auth:session:*');
      expect(keys.length).toBeGreaterThan(0);
      const id = idOf(cookie);
      expect(id.length).toBeGreaterThan(20);
      for (const key of keys) {
        expect(key).not.toContain(id);
        expect(JSON.stringify(await client.hgetall(key))).not.toContain(id);
        expect(await client.pttl(key)).toBeGreaterThan(0);
      }
    } finally {
      await client.quit();
    }
  });

  it('a wall token made at A opens a socket at B; revoked at A, B’s socket ends at once and B refuses it next', async () => {
    const admin = await a.login();
    const created = await a.fetch('/api/auth/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin },
      body: JSON.stringify({ role: 'wall', label: '二号大屏' }),
    });
    expect(created.status).toBe(201);
    const { token, info } = (await created.json()) as { token: string; info: { id: string } };
    const wall = await connected(b, { token });
    expect(await bearerStatus(b, token)).toBe(200);
    const dropped = new Promise<string>((resolve) => wall.socket.once('disconnect', resolve));
    const revoked = await a.fetch(`/api/auth/tokens/${info.id}`, { method: 'DELETE', headers: { cookie: admin } });
    expect(revoked.status).toBe(200);
    expect(await dropped).toBe('io server disconnect');
    expect([await bearerStatus(b, token), await bearerStatus(a, token)]).toEqual([401, 401]);
    // The attacker's look: the secret is nowhere in Redis, keys or values, nor in either node's log.
    const stored = await cluster.redis.contents();
    expect(stored).toContain(info.id);
    for (const part of [token, token.slice(5, 25)]) {
      expect(stored).not.toContain(part);
      expect([...a.logs, ...b.logs].join('\n')).not.toContain(part);
    }
  });

  it('guesses split over A and B lock the name after the fifth, on both', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push(await login(i % 2 === 0 ? a : b, 'disp-b', `wrong ${i}`));
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // Locked on both nodes, even for the right password.
    expect([await login(a, 'disp-b', PASSWORD), await login(b, 'disp-b', PASSWORD)]).toEqual([429, 429]);
    const admin = await a.login();
    const unlocked = await b.fetch('/api/v1/admin/lockouts/disp-b', { method: 'DELETE', headers: { cookie: admin } });
    expect(unlocked.status).toBe(200);
    expect(await login(a, 'disp-b', PASSWORD)).toBe(200);
  });

  it('disabling a person at B ends their socket at A; a password changed at A holds at B', async () => {
    const cookie = await a.login('disp-a', PASSWORD);
    const console = await connected(a, { cookie });
    const dropped = new Promise<string>((resolve) => console.socket.once('disconnect', resolve));
    const admin = await b.login();
    const disabled = await b.fetch('/api/v1/admin/users/disp-a/disable', {
      method: 'POST',
      headers: { cookie: admin },
    });
    expect(disabled.status).toBe(200);
    expect(await dropped).toBe('io server disconnect');
    expect([await me(a, cookie), await login(a, 'disp-a', PASSWORD)]).toEqual([401, 403]);
    const enabled = await a.fetch('/api/v1/admin/users/disp-a/enable', { method: 'POST', headers: { cookie: admin } });
    expect(enabled.status).toBe(200);
    const reset = await a.fetch('/api/v1/admin/users/disp-a/password', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin },
      body: JSON.stringify({ password: `${PASSWORD} new` }),
    });
    expect(reset.status).toBe(200);
    expect([await login(b, 'disp-a', PASSWORD), await login(b, 'disp-a', `${PASSWORD} new`)]).toEqual([401, 200]);
  });

  it('a volunteer registered at A is approved at B and logs in at A; disabled at A, their /field socket at B ends', async () => {
    const { id, body } = await registerVolunteer(a, { instituteId: 'I01' });
    const adminB = await b.login();
    expect(await decideVolunteer(b, adminB, id, 'approve')).toBe(200);
    const { cookie } = await loginVolunteer(a, body.phone, body.password);
    const phone = await connected(b, { cookie }, FIELD_NAMESPACE);
    const dropped = new Promise<string>((resolve) => phone.socket.once('disconnect', resolve));
    expect(await decideVolunteer(a, await a.login(), id, 'disable')).toBe(200);
    expect(await dropped).toBe('io server disconnect');
    const refused = await b.fetch('/api/v1/field/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: body.phone, password: body.password }),
    });
    expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([403, 'AUTH_ACCOUNT_DISABLED']);
    // Registered at both nodes at once: two accounts, two ids (Redis numbers them).
    const [x, y] = await Promise.all([registerVolunteer(a), registerVolunteer(b)]);
    expect(x.id).not.toBe(y.id);
    // One phone registered at both nodes at once: one account; the other is told the phone is taken.
    const one = testPhone();
    const both = await Promise.allSettled([registerVolunteer(a, { phone: one }), registerVolunteer(b, { phone: one })]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refusal = both.find((r) => r.status === 'rejected');
    expect(String(refusal?.status === 'rejected' ? refusal.reason : '')).toContain('VOLUNTEER_PHONE_TAKEN');
  });

  it('an SMS code asked for at A logs the volunteer in at B, once, and is used up at both', async () => {
    const v = await registerVolunteer(a, { instituteId: 'I01' });
    expect(await decideVolunteer(b, await b.login(), v.id, 'approve')).toBe(200);
    const smsAt = async (node: TestApp, path: string, body: object) =>
      (
        await node.fetch(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).status;
    const codeFrom = async (node: TestApp): Promise<string> => {
      const before = node.logs.length;
      expect(await smsAt(node, '/api/v1/field/sms', { phone: v.body.phone })).toBe(204);
      const line = node.logs.slice(before).find((l) => l.includes('验证码')) ?? '';
      return /验证码是 (\d{6})/.exec(line)?.[1] ?? '';
    };
    const code = await codeFrom(a);
    expect(code).toMatch(/^\d{6}$/);
    // Asked again at B within the minute: nothing new is sent.
    const beforeB = b.logs.length;
    expect(await smsAt(b, '/api/v1/field/sms', { phone: v.body.phone })).toBe(204);
    expect(b.logs.slice(beforeB).filter((l) => l.includes('验证码'))).toEqual([]);
    const wrong = code === '000000' ? '000001' : '000000';
    expect(await smsAt(b, '/api/v1/field/sms/login', { phone: v.body.phone, code: wrong })).toBe(401);
    expect(await smsAt(b, '/api/v1/field/sms/login', { phone: v.body.phone, code })).toBe(200);
    // Used at B: refused at A and at B.
    expect(await smsAt(a, '/api/v1/field/sms/login', { phone: v.body.phone, code })).toBe(401);
    expect(await smsAt(b, '/api/v1/field/sms/login', { phone: v.body.phone, code })).toBe(401);
    // Redis holds no phone number and no code.
    expect(await cluster.redis.contents()).not.toContain(v.body.phone);
  });

  it('with Redis away a login and a wall token are refused 503 SHARED_UNAVAILABLE, a device still ingests; both work once it is back', async () => {
    const { token } = await a.createToken({ role: 'wall', label: '断开的大屏' });
    expect(await bearerStatus(b, token)).toBe(200);
    await cluster.redis.kill();
    try {
      const loginAnswer = await loginAt(a, 'admin', TEST_ADMIN_PASSWORD);
      expect(loginAnswer).toEqual({ status: 503, code: 'SHARED_UNAVAILABLE' });
      const me = await b.fetch('/api/auth/me', { headers: { authorization: `Bearer ${token}` } });
      expect([me.status, ((await me.json()) as { code: string }).code]).toEqual([503, 'SHARED_UNAVAILABLE']);
      // A configured device token is the node's configuration: verified without Redis.
      expect(await bearerStatus(b, b.token)).toBe(200);
    } finally {
      await cluster.restartRedis();
    }
    await eventually(async () => ((await loginAt(a, 'admin', TEST_ADMIN_PASSWORD)).status === 200 ? true : undefined));
    await eventually(async () => ((await bearerStatus(b, token)) === 200 ? true : undefined));
  });

  it('signs nobody out when a node or Redis restarts', async () => {
    const cookie = await a.login();
    await cluster.restartRedis();
    const fresh = await cluster.addNode();
    expect(await me(fresh, cookie)).toBe(200);
    expect(await me(a, cookie)).toBe(200);
    expect(await logout(fresh, cookie)).toBe(204);
    expect(await me(a, cookie)).toBe(401);
  });
});
