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
import { RedisLockout } from '../../../server/auth/lockout-redis.js';
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
afterAll(async () => {
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
