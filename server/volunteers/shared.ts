/**
 * What volunteers' accounts (accounts.ts) share with other nodes (REDIS_URL): news of a changed
 * account on the auth bus (bus.ts: ids only, never a phone), and the next account number from one
 * Redis counter. The store stays the accounts' truth; a node that hears the news reads the row
 * again. An announcement that cannot be made (Redis away) is logged, not refused: the change is in
 * the store already, and every node reads all accounts again when its bus is back (`onResync`).
 */
import type { Redis } from 'ioredis';
import { AuthNewsKind, type AuthBus } from '../auth/bus.js';
import { reach } from '../auth/reach.js';

export interface SharedAccounts {
  announce(ids: readonly string[]): Promise<void>;
  onNews(listener: (ids: readonly string[]) => void): void;
  onResync(listener: () => void): void;
  /** The next account number in the cluster, above `atLeast` (the highest this node knows). */
  nextNumber(atLeast: number): Promise<number>;
  warn(error: unknown): void;
}

const COUNTER = 'wmsj:volunteers:last-number';
/** KEYS[1] the counter; ARGV[1] the highest number the caller knows. Raised to it first (a Redis restored from an older copy). */
const NEXT = `
local at = tonumber(redis.call('GET', KEYS[1]) or '0')
if at < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
return redis.call('INCR', KEYS[1])
`;

export function sharedAccounts(redis: Redis, bus: AuthBus, warn: (error: unknown) => void): SharedAccounts {
  return {
    async announce(ids) {
      await reach(redis, () => bus.publish(AuthNewsKind.volunteer, ids)).catch(warn);
    },
    onNews(listener) {
      bus.onNews((kind, ids) => {
        if (kind === AuthNewsKind.volunteer) listener(ids);
      });
    },
    onResync: (listener) => bus.onResync(listener),
    async nextNumber(atLeast) {
      return Number(await reach(redis, (r) => r.eval(NEXT, 1, COUNTER, atLeast)));
    },
    warn,
  };
}
