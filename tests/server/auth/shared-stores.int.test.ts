/**
 * The stores several nodes share in a real Redis (issue 18): two or three instances on one Redis act
 * as that many nodes. The lockout (lockout-redis.ts) counts guesses spread over nodes as on one and
 * never checks more than `max` at once; tokens (token-redis.ts) made on one node verify on another,
 * a revocation is refused at the next check anywhere and heard on every node, and no secret is ever
 * written to Redis; people's accounts (user-redis.ts) are imported from the file once however many
 * nodes start together, and a change on one node is read by the others.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenInfo } from '../../../shared/auth.js';
import { AuthBus } from '../../../server/auth/bus.js';
import { RedisLockout } from '../../../server/auth/lockout-redis.js';
import { RedisTokenStore } from '../../../server/auth/token-redis.js';
import { IMPORTED, RedisUserStore } from '../../../server/auth/user-redis.js';
import type { User } from '../../../server/auth/users.js';
import { eventually } from '../../helpers/server.js';
import { startRedis, type TestRedis } from '../../helpers/redis.js';

let redis: TestRedis;
const clients: Redis[] = [];
const client = (): Redis => {
  const c = redis.client();
  clients.push(c);
  return c;
};
/** A node's connection is open before it serves (plugins/external/redis.ts); so are these. */
const ready = async <T extends Redis>(c: T): Promise<T> => {
  if (c.status !== 'ready') await new Promise((resolve) => c.once('ready', resolve));
  return c;
};

beforeAll(async () => {
  redis = await startRedis();
});
const buses: AuthBus[] = [];
let nodes = 0;
/** A node's bus on a connection of its own (the app's command connection, plugins/external/redis.ts). */
async function node(): Promise<{ redis: Redis; bus: AuthBus }> {
  const redis = await ready(client());
  nodes += 1;
  const bus = await AuthBus.open(redis, `node-${nodes}`, () => undefined);
  buses.push(bus);
  return { redis, bus };
}

afterAll(async () => {
  await Promise.allSettled(buses.map((b) => b.close()));
  await Promise.allSettled(clients.map((c) => c.quit()));
  await redis.stop();
});

describe('the login lockout in Redis', () => {
  it('checks at most max guesses sent at once to three nodes, and locks the key on all of them', async () => {
    const nodes = [
      new RedisLockout(await ready(client()), 5),
      new RedisLockout(await ready(client()), 5),
      new RedisLockout(await ready(client()), 5),
    ];
    const node = (i: number): RedisLockout => nodes[i % nodes.length] as RedisLockout;
    const attempts = await Promise.all(Array.from({ length: 24 }, (_, i) => node(i).reserve('eve|10.0.0.1')));
    const placed = attempts.filter((a) => a !== null);
    expect(placed).toHaveLength(5);
    // Failed in any order on any node: the lockout is reported once, by the failure that completes it.
    const filled = await Promise.all(placed.map((a, i) => node(i + 1).fail(a)));
    expect(filled.filter((f) => f)).toHaveLength(1);
    for (const node of nodes) {
      expect(await node.reserve('eve|10.0.0.1')).toBeNull();
      expect(await node.lockedFor('eve|10.0.0.1')).toBeGreaterThan(0);
    }
    // Another address, or another name, is not locked by the guesser.
    expect(await nodes[0]?.reserve('eve|10.0.0.2')).not.toBeNull();
    expect(await nodes[1]?.reserve('bob|10.0.0.1')).not.toBeNull();
  });

  it('guesses one after the other, spread over three nodes, lock at the max-th as on one node', async () => {
    const nodes = [
      new RedisLockout(await ready(client()), 4),
      new RedisLockout(await ready(client()), 4),
      new RedisLockout(await ready(client()), 4),
    ];
    const began: boolean[] = [];
    for (let i = 0; i < 4; i += 1) {
      const node = nodes[i % 3] as RedisLockout;
      const attempt = await node.reserve('mallory|10.0.0.9');
      if (attempt === null) throw new Error(`locked after ${i} guesses`);
      began.push(await node.fail(attempt));
    }
    expect(began).toEqual([false, false, false, true]);
    expect(await nodes[2]?.reserve('mallory|10.0.0.9')).toBeNull();
    const entries = await nodes[1]?.entries();
    expect(entries?.find((e) => e.key === 'mallory|10.0.0.9')).toMatchObject({ failures: 4 });
  });

  it('a right password on one node gives the places back on every node; a guess checked meanwhile counts for nothing', async () => {
    const [a, b] = [new RedisLockout(await ready(client()), 2), new RedisLockout(await ready(client()), 2)];
    const guess = await a.reserve('carol|10.0.0.3');
    const right = await b.reserve('carol|10.0.0.3');
    expect(guess && right).toBeTruthy();
    expect(await a.reserve('carol|10.0.0.3')).toBeNull();
    await b.clear('carol|10.0.0.3');
    expect(guess && (await a.fail(guess))).toBe(false);
    expect(await a.lockedFor('carol|10.0.0.3')).toBe(0);
    expect(await a.reserve('carol|10.0.0.3')).not.toBeNull();
  });

  it('lets a key try again once its oldest attempt leaves the window', async () => {
    const lockout = new RedisLockout(await ready(client()), 1, 300);
    const attempt = await lockout.reserve('dave|10.0.0.4');
    if (!attempt) throw new Error('no place');
    expect(await lockout.fail(attempt)).toBe(true);
    expect(await lockout.reserve('dave|10.0.0.4')).toBeNull();
    let again = null;
    // Bounded by the test's timeout; the window is 300 ms by Redis's clock.
    while (again === null) {
      await new Promise((r) => setTimeout(r, 100));
      again = await lockout.reserve('dave|10.0.0.4');
    }
    expect(again.key).toBe('dave|10.0.0.4');
  });

  it('an admin on one node clears a name’s failures from every address, counted once each', async () => {
    const [a, b] = [new RedisLockout(await ready(client()), 3), new RedisLockout(await ready(client()), 3)];
    for (const ip of ['10.1.0.1', '10.1.0.2']) {
      const attempt = await a.reserve(`frank|${ip}`);
      if (attempt) await a.fail(attempt);
    }
    await a.reserve('frank|10.1.0.3');
    expect(await b.clearWhere((key) => key.startsWith('frank|'))).toBe(2);
    expect((await a.entries()).filter((e) => e.key.startsWith('frank|'))).toEqual([]);
  });
});

const DEVICE = { secret: 'configured-device-secret-0123456789', source: 'INGEST_TOKENS' };

describe('tokens in Redis', () => {
  it('a token made on one node verifies on another once read; a revocation is heard and refused everywhere', async () => {
    const [a, b] = [await node(), await node()];
    const tokensA = new RedisTokenStore(a.redis, a.bus, [DEVICE]);
    const tokensB = new RedisTokenStore(b.redis, b.bus, [DEVICE]);
    const revokedOnB: string[] = [];
    tokensB.onRevokedElsewhere((id) => revokedOnB.push(id));
    const { token, info } = await tokensA.create({ role: 'wall', label: '大屏 1' }, 'admin');
    expect(tokensB.verify(token)).toBeNull();
    await tokensB.load(token);
    expect(tokensB.verify(token)).toMatchObject({ id: info.id, role: 'wall' });
    expect(tokensB.isLive(info.id)).toBe(true);
    expect((await tokensB.list()).map((t) => t.id)).toEqual(expect.arrayContaining(['config-1', info.id]));

    expect(await tokensA.revoke(info.id)).toMatchObject({ id: info.id, revokedAt: expect.any(Number) as number });
    await eventually(() => (revokedOnB.includes(info.id) ? true : undefined), 20);
    expect(tokensB.isLive(info.id)).toBe(false);
    await tokensB.load(token);
    expect(tokensB.verify(token)).toBeNull();
    // Revoking again, on the other node, keeps the first time.
    const first = (await tokensA.find(info.id))?.revokedAt;
    expect((await tokensB.revoke(info.id))?.revokedAt).toBe(first);
  });

  it('a revocation whose news a node missed is found at its next read', async () => {
    const [a, b] = [await node(), await node()];
    const tokensA = new RedisTokenStore(a.redis, a.bus, []);
    const tokensB = new RedisTokenStore(b.redis, b.bus, []);
    const { token, info } = await tokensA.create({ role: 'wall', label: '大屏 2' }, 'admin');
    await tokensB.load(token);
    // Written behind the bus's back, as if B's subscriber had been away when it was announced.
    const hash = await a.redis.get(`wmsj:auth:token-id:${info.id}`);
    await a.redis.hset(`wmsj:auth:token:${hash ?? ''}`, 'revokedAt', '1');
    expect(tokensB.verify(token)).not.toBeNull();
    await tokensB.load(token);
    expect(tokensB.verify(token)).toBeNull();
    await tokensB.loadById(info.id);
    expect(tokensB.isLive(info.id)).toBe(false);
  });

  it('keeps no secret in Redis: neither a saved token’s nor a configured one’s', async () => {
    const a = await node();
    const tokens = new RedisTokenStore(a.redis, a.bus, [DEVICE]);
    const made: string[] = [];
    for (let i = 0; i < 3; i += 1)
      made.push((await tokens.create({ role: 'device', label: `设备 ${i}` }, 'admin')).token);
    await tokens.revoke((await tokens.list()).find((t: TokenInfo) => t.label === '设备 0')?.id ?? '');
    const stored = await redis.contents();
    expect(stored).toContain('wmsj:auth:token:');
    for (const secret of [...made, DEVICE.secret]) {
      expect(secret.length).toBeGreaterThan(20);
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain(secret.slice(5, 25));
    }
  });

  it('verifies the configured tokens without Redis, and refuses a saved one clearly while Redis is out of reach', async () => {
    const a = await node();
    const tokens = new RedisTokenStore(a.redis, a.bus, [DEVICE]);
    const { token } = await tokens.create({ role: 'wall', label: '大屏 3' }, 'admin');
    const cut = await ready(client());
    const away = new RedisTokenStore(cut, a.bus, [DEVICE]);
    cut.disconnect();
    await away.load(DEVICE.secret);
    expect(away.verify(DEVICE.secret)).toMatchObject({ id: 'config-1', role: 'device' });
    await expect(away.load(token)).rejects.toMatchObject({ code: 'SHARED_UNAVAILABLE', statusCode: 503 });
    expect(away.verify(token)).toBeNull();
  });
});

const HASH = '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';
const person = (username: string, extra: Partial<User> = {}): User => ({
  username,
  name: username,
  role: 'dispatcher',
  scope: 'district',
  passwordHash: HASH,
  disabled: false,
  createdAt: 1,
  ...extra,
});

describe('people’s accounts in Redis', () => {
  it('imports the users file once when nodes start together, and never over what was changed since', async () => {
    await (await ready(client())).del(IMPORTED);
    const [a, b] = [await node(), await node()];
    const opened = await Promise.all([
      RedisUserStore.open(a.redis, a.bus, 'node-a', [person('Admin', { role: 'admin' }), person('lily')]),
      RedisUserStore.open(b.redis, b.bus, 'node-b', [person('admin', { role: 'admin' }), person('rose')]),
    ]);
    expect(opened.map((o) => o.imported).sort()).toEqual([false, true]);
    const winner = opened.findIndex((o) => o.imported);
    const names = (await (opened[1 - winner]?.store as RedisUserStore).list()).map((u) => u.username).sort();
    expect(names).toEqual(winner === 0 ? ['Admin', 'lily'] : ['admin', 'rose']);

    const store = opened[0].store;
    expect(await store.update('ADMIN', { disabled: true })).toMatchObject({ disabled: true });
    const late = await node();
    const again = await RedisUserStore.open(late.redis, late.bus, 'node-c', [person('admin', { role: 'admin' })]);
    expect(again.imported).toBe(false);
    expect(again.store.get('admin')?.disabled).toBe(true);
  });

  it('an account made or changed on one node is read by another at once, and its news reach it', async () => {
    const [a, b] = [await node(), await node()];
    const { store: usersA } = await RedisUserStore.open(a.redis, a.bus, 'node-a', []);
    const { store: usersB } = await RedisUserStore.open(b.redis, b.bus, 'node-b', []);
    expect(await usersA.add(person('Peony'))).toBe(true);
    expect(await usersB.add(person('PEONY'))).toBe(false);
    await usersB.load('peony');
    expect(usersB.get('PeOnY')).toMatchObject({ username: 'Peony', disabled: false, createdAt: 1 });
    // Two changes of the same account on two nodes at once: both stand.
    await Promise.all([
      usersA.update('peony', { disabled: true }),
      usersB.update('Peony', { passwordHash: `${HASH}x` }),
    ]);
    await usersA.load('peony');
    expect(usersA.get('peony')).toMatchObject({ disabled: true, passwordHash: `${HASH}x` });
    // B heard A's change on the bus, without asking.
    await eventually(() => (usersB.get('peony')?.disabled ? true : undefined), 20);
    expect(await usersA.update('nobody', { disabled: true })).toBeNull();
  });
});
