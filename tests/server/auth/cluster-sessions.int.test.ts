/**
 * People's sessions on several nodes (issue 18): two apps on one Redis (tests/helpers/nodes.ts). A
 * login at one node holds at the other; a logout at either ends the session at both at once, its
 * open sockets on the other node too; restarts of a node and of Redis sign nobody out; Redis holds
 * only the session's key (a hash), never the cookie's id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_NAMESPACE } from '../../../shared/live.js';
import type { TestApp } from '../../helpers/app.js';
import { startNodes, type TestNodes } from '../../helpers/nodes.js';
import { watchedSocket } from '../../helpers/socket-watch.js';

let cluster: TestNodes;
let a: TestApp;
let b: TestApp;
beforeAll(async () => {
  cluster = await startNodes(2);
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

  it('signs nobody out when a node or Redis restarts', async () => {
    const cookie = await a.login();
    await cluster.redis.restart();
    const fresh = await cluster.addNode();
    expect(await me(fresh, cookie)).toBe(200);
    expect(await me(a, cookie)).toBe(200);
    expect(await logout(fresh, cookie)).toBe(204);
    expect(await me(a, cookie)).toBe(401);
  });
});
