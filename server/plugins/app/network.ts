import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { countByLevel, type Network } from '../../../shared/network.js';
import { backfill } from '../../../seed/backfill.js';
import { withStoredFacts } from '../../../seed/counties.js';
import { generateNetwork } from '../../../seed/network.js';
import { loadNetwork, saveNetwork } from '../../store/network-repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    network: Network;
    /** node id → its 所 id ('' for the center). */
    nodeInstitute: ReadonlyMap<string, string>;
    nodeNames: ReadonlyMap<string, string>;
  }
}

/** Seeds an empty store: the county's network, then its history (the network alone marks it seeded). */
async function seed(app: FastifyInstance): Promise<void> {
  const started = Date.now();
  const generated = generateNetwork(app.config.NETWORK, app.config.SEED);
  await saveNetwork(app.store, generated);
  app.log.info({ nodes: countByLevel(generated.nodes) }, 'seeded network');
  if (app.config.BACKFILL_SCALE <= 0) return;
  let lastLogged = 0;
  const report = await backfill(app.store, generated, {
    seed: app.config.SEED,
    scale: app.config.BACKFILL_SCALE,
    now: Date.now(),
    onProgress: (label, done, total) => {
      if (Date.now() - lastLogged < 2_000 && done < total) return;
      lastLogged = Date.now();
      app.log.info({ step: label, done, total }, 'backfilling history');
    },
  });
  app.log.info({ rows: report.rows, ms: report.ms, totalMs: Date.now() - started }, 'backfilled history');
}

/** Held by the one node seeding a shared store; renewed while it works, so a node that dies frees it. */
const SEED_LOCK = 'wmsj:seed:lock';
const LOCK_MS = 30_000;
const WAIT_STEP_MS = 250;
/** As long as Fastify gives a plugin to start (app.ts pluginTimeout): a seed takes no longer there. */
const WAIT_STEPS = 300_000 / WAIT_STEP_MS;
/** Renews or releases the lock only while this node still holds it (it may have expired and passed on). */
const IF_MINE = `if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '0' then return redis.call('del', KEYS[1]) end
return redis.call('pexpire', KEYS[1], ARGV[2])`;

/**
 * Several nodes started together on one empty ClickHouse would each seed it: the network written
 * N times and N years of history. One node takes the lock in Redis and seeds; the others wait until
 * the lock is gone and read what it wrote. A seeder that dies mid-way lets its lock expire, and the
 * next node seeds what is still missing, as a single node restarted after such a crash would.
 */
async function seedOnce(app: FastifyInstance, redis: Redis): Promise<void> {
  const holder = `${app.nodeId}:${randomUUID()}`;
  for (let step = 0; step < WAIT_STEPS; step += 1) {
    if ((await redis.set(SEED_LOCK, holder, 'PX', LOCK_MS, 'NX')) === 'OK') {
      const renew = setInterval(
        () => void redis.eval(IF_MINE, 1, SEED_LOCK, holder, LOCK_MS).catch(() => 0),
        LOCK_MS / 3,
      );
      try {
        // A peer may have finished between our read and the lock.
        if (!(await loadNetwork(app.store))) await seed(app);
        return;
      } finally {
        clearInterval(renew);
        await redis.eval(IF_MINE, 1, SEED_LOCK, holder, 0);
      }
    }
    await sleep(WAIT_STEP_MS);
    if ((await redis.exists(SEED_LOCK)) === 0 && (await loadNetwork(app.store))) return;
  }
  throw new Error('another node held the seed lock past the start timeout');
}

/** Loads the county's network; an empty store is seeded first (network + a year of history). */
export default fp(
  async (app) => {
    let network = await loadNetwork(app.store);
    if (!network) {
      if (app.redis) await seedOnce(app, app.redis);
      else await seed(app);
      network = await loadNetwork(app.store);
      if (!network) throw new Error('network could not be read back after seeding');
    }
    network = { ...network, county: withStoredFacts(network.county) };
    app.decorate('network', network);
    app.decorate('nodeInstitute', new Map(network.nodes.map((n) => [n.id, n.instituteId ?? ''])));
    app.decorate('nodeNames', new Map(network.nodes.map((n) => [n.id, n.name])));
  },
  { name: 'network', dependencies: ['clickhouse', 'redis'] },
);
