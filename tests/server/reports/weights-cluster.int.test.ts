/**
 * Evaluation weights saved on two nodes (tests/helpers/nodes.ts: two apps, one ClickHouse server
 * process, one real Redis): two admins at two nodes saving from the same version at the same
 * instant get distinct version numbers — one wins, the other is refused with the stale-version code
 * (the compare-and-set in Redis, server/reports/weights-claims.ts); the store never holds a number
 * twice; a claim left pending by a node that died frees its number once abandoned, and a Redis that
 * lost the claim starts again from the store's newest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EVALUATION } from '../../../shared/evaluation.js';
import type { Weights, WeightsList } from '../../../shared/evaluation-weights.js';
import { WEIGHTS_CLAIM_KEY } from '../../../server/reports/weights-claims.js';
import type { TestApp } from '../../helpers/app.js';
import { startNodes, type TestNodes } from '../../helpers/nodes.js';

/** Rounds of two saves from the same version, one at each node, sent together. */
const ROUNDS = 12;

let cluster: TestNodes;
let a: TestApp;
let b: TestApp;
let cookieA: string;
let cookieB: string;

beforeAll(async () => {
  cluster = await startNodes(2);
  [a, b] = cluster.nodes as [TestApp, TestApp];
  [cookieA, cookieB] = [await a.login(), await b.login()];
}, 180_000);
afterAll(async () => {
  await cluster.close();
});

/** Weights adding up to 100 that differ per round and node (which save won is read back by them). */
const weightsFor = (round: number, node: 0 | 1): Weights => ({
  ...DEFAULT_EVALUATION.weights,
  activities: 25 - node,
  participants: 15 + node,
  serviceHours: 20,
  ordersCompleted: 15 - (round % 5),
  appealsClosed: 10 + (round % 5),
});

async function save(node: TestApp, cookie: string, weights: Weights, basedOn: number) {
  const response = await node.fetch('/api/v1/evaluation/weights', {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ weights, basedOn }),
  });
  return { status: response.status, body: (await response.json()) as { version?: number; code?: string } };
}
const list = async (node: TestApp, cookie: string) =>
  (await (await node.fetch('/api/v1/evaluation/weights', { headers: { cookie } })).json()) as WeightsList;
const storedVersions = async () =>
  (await a.app.store.query<{ version: number }>('SELECT version FROM evaluation_weights ORDER BY version')).map(
    (r) => r.version,
  );

describe('weights saved on two nodes', () => {
  it('from the same version at the same instant: distinct numbers, the loser refused as stale', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const basedOn = round;
      const [atA, atB] = await Promise.all([
        save(a, cookieA, weightsFor(round, 0), basedOn),
        save(b, cookieB, weightsFor(round, 1), basedOn),
      ]);
      const answers = [atA, atB].sort((x, y) => x.status - y.status);
      expect(answers.map((x) => x.status)).toEqual([201, 409]);
      expect(answers[0]?.body.version).toBe(basedOn + 1);
      expect(answers[1]?.body.code).toBe('WEIGHTS_STALE_VERSION');
    }
    // One row per number in the store, 1…ROUNDS; both nodes name the same version in force.
    expect(await storedVersions()).toEqual(Array.from({ length: ROUNDS }, (_, i) => i + 1));
    expect((await list(a, cookieA)).current.version).toBe(ROUNDS);
    expect((await list(b, cookieB)).current.version).toBe(ROUNDS);
  });

  it('a pending claim whose node died holds its number, then frees it; a Redis without the claim follows the store', async () => {
    const redis = cluster.redis.client();
    try {
      const newest = (await list(a, cookieA)).current.version;
      // A node took newest + 1 and died before its insert: the number is held while the claim is fresh…
      const time = await redis.time();
      const nowMs = Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
      await redis.hset(WEIGHTS_CLAIM_KEY, 'v', newest + 1, 'pending', '1', 'at', nowMs);
      const held = await save(b, cookieB, weightsFor(0, 1), newest);
      expect(held.status).toBe(409);
      expect(held.body.code).toBe('WEIGHTS_STALE_VERSION');
      // …and free once the claim is older than any insert can take (server/reports/weights-claims.ts).
      await redis.hset(WEIGHTS_CLAIM_KEY, 'at', nowMs - 120_000);
      const freed = await save(b, cookieB, weightsFor(0, 1), newest);
      expect(freed).toMatchObject({ status: 201, body: { version: newest + 1 } });

      // Redis lost the claim (a restart without its data): the store's newest is the floor.
      await redis.del(WEIGHTS_CLAIM_KEY);
      const stale = await save(a, cookieA, weightsFor(1, 0), newest);
      expect(stale.body.code).toBe('WEIGHTS_STALE_VERSION');
      const next = await save(a, cookieA, weightsFor(1, 0), newest + 1);
      expect(next).toMatchObject({ status: 201, body: { version: newest + 2 } });
      expect(await storedVersions()).toEqual(Array.from({ length: newest + 2 }, (_, i) => i + 1));
    } finally {
      redis.disconnect();
    }
  });
});
