/**
 * Several server nodes in one test process, as a county runs them (issue 18): each an app of its own
 * (tests/helpers/app.ts) with its own data directory (its write-ahead log), all on one ClickHouse
 * server process (chdb over HTTP, tests/helpers/chdb-http.ts: chdb in this process could hold only
 * one directory) and one real Redis (tests/helpers/redis.ts). The nodes are started one after the
 * other, so the first seeds the empty store and the rest find it seeded.
 *
 * For nodes as processes behind nginx (kill -9 of a node), see the cluster helpers instead.
 */
import { randomBytes } from 'node:crypto';
import { startApp, type AppOptions, type TestApp } from './app.js';
import { startChdbHttp, type ChdbHttp } from './chdb-http.js';
import { startRedis, type TestRedis } from './redis.js';
import { eventually } from './server.js';

export interface TestNodes {
  nodes: TestApp[];
  redis: TestRedis;
  clickhouse: ChdbHttp;
  /** CLICKHOUSE_URL every node uses (one database for the county). */
  clickhouseUrl: string;
  /** Env every node shares (REDIS_URL, CLICKHOUSE_URL, SESSION_SECRET, …), for a node started later. */
  sharedEnv: Record<string, string>;
  /** Starts one more node on the same Redis and ClickHouse (or a restart of one: pass its dataDir and port). */
  addNode(options?: AppOptions & { nodeId?: string }): Promise<TestApp>;
  /**
   * Starts Redis again after `redis.kill()` and waits until every node's client is connected again:
   * a node's client reconnects on its own, a moment apart from another's, and a request meanwhile
   * is refused SHARED_UNAVAILABLE as it should be.
   */
  restartRedis(): Promise<void>;
  /** Stops every node, then Redis and ClickHouse; removes their data. */
  close(): Promise<void>;
}

export async function startNodes(count: number, options: AppOptions = {}): Promise<TestNodes> {
  const [redis, clickhouse] = await Promise.all([startRedis(), startChdbHttp()]);
  const clickhouseUrl = `${clickhouse.url}/wmsj_county`;
  // Every node must read every other's session cookies: one secret for all, as deploy/ sets it.
  const sharedEnv = {
    REDIS_URL: redis.url,
    CLICKHOUSE_URL: clickhouseUrl,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    ...options.env,
  };
  const nodes: TestApp[] = [];
  const addNode = async ({ nodeId: named, ...rest }: AppOptions & { nodeId?: string } = {}): Promise<TestApp> => {
    const nodeId = named ?? `node-${nodes.length + 1}`;
    const node = await startApp({
      ...(options.users ? { users: options.users } : {}),
      ...rest,
      env: { ...sharedEnv, NODE_ID: nodeId, ...rest.env },
    });
    nodes.push(node);
    return node;
  };
  try {
    for (let i = 0; i < count; i += 1) await addNode();
  } catch (error) {
    await Promise.allSettled(nodes.map((n) => n.close()));
    await Promise.allSettled([redis.stop(), clickhouse.stop()]);
    throw error;
  }
  return {
    nodes,
    redis,
    clickhouse,
    clickhouseUrl,
    sharedEnv,
    addNode,
    restartRedis: async () => {
      await redis.restart();
      await Promise.all(nodes.map((n) => eventually(() => (n.app.redis?.status === 'ready' ? true : undefined))));
    },
    close: async () => {
      await Promise.allSettled(nodes.map((n) => n.close()));
      await Promise.allSettled([redis.stop(), clickhouse.stop()]);
    },
  };
}
