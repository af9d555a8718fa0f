/**
 * One evaluation per key in the cluster (several nodes): before a node evaluates a scope's figures
 * or a panel query in ClickHouse, it claims the key in Redis for one evaluation interval
 * (`SET … NX PX`). The node that gets it evaluates and hands the result to its peers on the live
 * stream (live/peers.ts); the others wait for that result. So ClickHouse sees at most one evaluation
 * per key and interval however many nodes serve screens of it — as one node does today.
 *
 * The claim is a rate token, never released: a result reaches the peers well within the interval,
 * and a node that died mid-evaluation holds nothing after it. When Redis does not answer, a node
 * evaluates on its own: figures stay fresh at the price of duplicate evaluations until it is back.
 * "Does not answer" is decided at once when the connection is down and after reach()'s deadline
 * when Redis holds the command (auth/reach.ts): a wall's figures never wait on ioredis's retries.
 */
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { Redis } from 'ioredis';
import { reach } from '../auth/reach.js';

/** Log positions per origin that an evaluation's figures include (everything flushed up to them). */
export type Covers = Record<string, number>;

export interface SharedEvaluations {
  /** True when this node evaluates `key` now; false when a peer does and its result will come. */
  claim(key: string): Promise<boolean>;
}

export function redisLease(redis: Redis, origin: string, intervalMs: number, log: Logger): SharedEvaluations {
  return {
    claim: (key) =>
      reach(redis, (r) => r.set(`wmsj:live:lease:${key}`, origin, 'PX', intervalMs, 'NX')).then(
        (answer) => answer === 'OK',
        (error: unknown) => {
          log.warn({ err: error, key }, 'live lease: Redis did not answer, evaluating here');
          return true;
        },
      ),
  };
}
