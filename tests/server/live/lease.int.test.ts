/**
 * The live lease on a real Redis (live/lease.ts): one claim per key and interval while Redis
 * answers; with Redis stopped, the claim answers "evaluate here" without waiting for Redis — so a
 * wall's figures stay fresh; and claims are shared again once Redis is back.
 *
 * The client here queues a command for as long as Redis is away (`maxRetriesPerRequest: null`), so
 * a claim that waited for Redis would never answer while it is stopped: the test needs no clock.
 */
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { redisLease, type SharedEvaluations } from '../../../server/live/lease.js';
import { startRedis, type TestRedis } from '../../helpers/redis.js';
import { eventually } from '../../helpers/server.js';

let redis: TestRedis;
let client: Redis;
let lease: SharedEvaluations;
beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url, { maxRetriesPerRequest: null });
  client.on('error', () => undefined);
  lease = redisLease(client, 'node-1/test', 60_000, pino({ level: 'silent' }));
  await eventually(() => (client.status === 'ready' ? true : undefined));
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

it('claims a key once per interval, evaluates here at once while Redis is stopped, and shares again once it is back', async () => {
  expect([await lease.claim('figures:before'), await lease.claim('figures:before')]).toEqual([true, false]);
  await redis.kill();
  try {
    await eventually(() => (client.status === 'ready' ? undefined : true));
    const answers = [await lease.claim('figures:away'), await lease.claim('figures:away')];
    // Both evaluate here: nobody else can be told, and the figures must not wait.
    expect(answers).toEqual([true, true]);
  } finally {
    await redis.restart();
  }
  await eventually(() => (client.status === 'ready' ? true : undefined));
  expect([await lease.claim('figures:after'), await lease.claim('figures:after')]).toEqual([true, false]);
});
