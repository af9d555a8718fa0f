/**
 * What volunteers' accounts (accounts.ts) share with other nodes (REDIS_URL): news of a changed
 * account on the auth bus (bus.ts: ids only, never a phone), and the next account number from one
 * Redis counter, and a short claim on a phone while it is being registered (two nodes registering
 * one phone at once would each find it free in the store). The store stays the accounts' truth; a node that hears the news reads the row
 * again. An announcement that cannot be made (Redis away) is logged, not refused: the change is in
 * the store already, and every node reads all accounts again when its bus is back (`onResync`).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AuthNewsKind, type AuthBus } from '../auth/bus.js';
import { reach } from '../auth/reach.js';

export interface SharedAccounts {
  announce(ids: readonly string[]): Promise<void>;
  onNews(listener: (ids: readonly string[]) => void): void;
  onResync(listener: () => void): void;
  /** The next account number in the cluster, above `atLeast` (the highest this node knows). */
  nextNumber(atLeast: number): Promise<number>;
  /**
   * Holds the phone while one registration checks it is free and writes its row; null when a
   * registration on another node holds it. The returned call lets it go.
   */
  claimPhone(phone: string): Promise<(() => Promise<void>) | null>;
  warn(error: unknown): void;
}

const COUNTER = 'wmsj:volunteers:last-number';
/** KEYS[1] the counter; ARGV[1] the highest number the caller knows. Raised to it first (a Redis restored from an older copy). */
const NEXT = `
local at = tonumber(redis.call('GET', KEYS[1]) or '0')
if at < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
return redis.call('INCR', KEYS[1])
`;

const PHONE_CLAIM = 'wmsj:volunteers:registering:';
/** Longer than the store's 30 s request timeout: a claim outlives its registration's write, or its node. */
const PHONE_CLAIM_MS = 35_000;
/** KEYS[1] the claim; ARGV[1] its holder. Only the holder lets it go (an expired claim may be another's by now). */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
/** A Redis key naming a phone by a hash, so that a listing of Redis's keys shows no phone number. */
export const phoneKey = (prefix: string, phone: string): string =>
  prefix + createHash('sha256').update(`${prefix} `).update(phone).digest('hex');

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
    async claimPhone(phone) {
      const key = phoneKey(PHONE_CLAIM, phone);
      const holder = randomUUID();
      const claimed = await reach(redis, (r) => r.set(key, holder, 'PX', PHONE_CLAIM_MS, 'NX'));
      if (claimed !== 'OK') return null;
      return async () => {
        await reach(redis, (r) => r.eval(RELEASE, 1, key, holder)).catch(warn);
      };
    },
    warn,
  };
}
