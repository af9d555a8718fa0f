/**
 * The compare-and-set of an order's version in a real Redis (server/dispatch/order-versions.ts):
 * one claim per version wins, the others get the winner's record; a claim whose write was refused
 * puts the record back; a claimer that dies between its claim and its write holds the order only
 * until its pending mark expires, after which its version stands and the next one can be won.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../../shared/orders.js';
import { redisVersions, type OrderRecord, type OrderVersions } from '../../../server/dispatch/order-versions.js';
import { startRedis, type TestRedis } from '../../helpers/redis.js';

const PENDING_MS = 300;
let redis: TestRedis;
let client: Redis;
let versions: OrderVersions;

const order = (id: string, version: number): Order => ({
  id,
  state: 'accepted_by_center',
  version,
  title: '代购药品',
  venueId: 'P0001',
  instituteId: 'I01',
  stationId: '',
  assignee: null,
  createdAt: 1,
  stateEnteredAt: version,
});
const record = (id: string, version: number): OrderRecord => ({
  order: order(id, version),
  history: [],
  eventIds: [`e-${id}-${version}`],
  statuses: [],
});

beforeAll(async () => {
  redis = await startRedis();
  client = redis.client();
  // Open before the first claim, as a node's connection is before it serves (plugins/external/redis.ts):
  // a claim while it is still connecting is refused as Redis out of reach (auth/reach.ts).
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
  versions = redisVersions(client, PENDING_MS);
});
afterAll(async () => {
  await client.quit();
  await redis.stop();
});

describe('claiming an order version in Redis', () => {
  it('one of many claims on the same version wins; the rest get the winner record', async () => {
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => versions.claim(3, { ...record('O-race', 4), eventIds: [`e${i}`] })),
    );
    const won = claims.filter((c) => c.kind === 'won');
    expect(won).toHaveLength(1);
    // The others were refused while the winner's write was pending, or saw its version.
    for (const c of claims) expect(['won', 'busy', 'behind']).toContain(c.kind);
    if (won[0]?.kind === 'won') await versions.settle('O-race', won[0].token, true);
    const after = await versions.claim(3, record('O-race', 4));
    expect(after).toMatchObject({ kind: 'behind', record: { order: { version: 4 } } });
    expect((await versions.current('O-race'))?.order.version).toBe(4);
  });

  it('a claim whose events were not written gives the version back', async () => {
    const first = await versions.claim(0, record('O-back', 1));
    if (first.kind !== 'won') throw new Error(`first claim: ${first.kind}`);
    await versions.settle('O-back', first.token, true);
    const second = await versions.claim(1, record('O-back', 2));
    if (second.kind !== 'won') throw new Error(`second claim: ${second.kind}`);
    await versions.settle('O-back', second.token, false);
    expect((await versions.current('O-back'))?.order.version).toBe(1);
    expect(await versions.claim(1, record('O-back', 2))).toMatchObject({ kind: 'won' });
  });

  it('a claimer that died before settling holds the order only until its mark expires; its version stands', async () => {
    const dead = await versions.claim(0, record('O-dead', 6));
    expect(dead.kind).toBe('won');
    // Never settled: the node died between the claim and its write.
    expect(await versions.claim(6, record('O-dead', 7))).toEqual({ kind: 'busy' });
    let next = await versions.claim(6, record('O-dead', 7));
    for (let i = 0; i < 100 && next.kind === 'busy'; i += 1) {
      await new Promise((r) => setTimeout(r, 20));
      next = await versions.claim(6, record('O-dead', 7));
    }
    expect(next.kind).toBe('won');
    // The dead claimer's settle, if it ever comes, changes nothing now.
    if (dead.kind === 'won') await versions.settle('O-dead', dead.token, false);
    expect((await versions.current('O-dead'))?.order.version).toBe(7);
  });

  it('every record is listed for a starting node', async () => {
    const ids = (await versions.all()).map((r) => r.order.id).sort();
    expect(ids).toEqual(['O-back', 'O-dead', 'O-race']);
  });
});
