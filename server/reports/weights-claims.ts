/**
 * Where a weights version number is won (issue 17.5 on several nodes). On one node the service's
 * queue (weights.ts) is enough: it reads the store, checks the version edited and inserts the next
 * one with nothing in between, and no other process writes the table. Two nodes each have their own
 * queue: both could read version N at the same instant and both insert N + 1. So before inserting,
 * a node claims N + 1 in Redis: a compare-and-set on `wmsj:evaluation:weights` (one Lua script,
 * atomic in Redis) that succeeds only while the cluster's newest is still the version the admin
 * edited. One claim per number succeeds; the other node's admin is refused with the stale-version
 * code, as on one node.
 *
 * The store stays the record: the claim is marked pending until the insert answers. An insert that
 * fails puts the number back. A node that dies in between leaves a pending claim the store never
 * got; once it is older than ABANDONED_MS (past the store transport's 30 s request timeout, so that
 * insert can no longer land) the number is free again. A Redis that lost the key (a restart without
 * persistence) starts again from the store's newest, which the caller passes with each claim.
 */
import type { Redis } from 'ioredis';

export type WeightsClaim =
  /** This node took `version`; settle it once the insert answered. */
  | { kind: 'won'; version: number }
  /** The cluster's newest is another version (a save elsewhere is done or under way). */
  | { kind: 'behind'; newest: number }
  /** Redis did not answer: no version can be taken now. */
  | { kind: 'unreachable' };

export interface WeightsClaims {
  /** Claims `basedOn + 1` if the cluster's newest is still `basedOn`; `stored` is the store's newest. */
  claim(basedOn: number, stored: number): Promise<WeightsClaim>;
  /** The insert of `version` answered: kept, or not (the number goes back to `version - 1`). */
  settle(version: number, kept: boolean): Promise<void>;
}

/** One node: the service's queue already makes each save the only one (see above). */
export const localClaims: WeightsClaims = {
  claim: (basedOn) => Promise.resolve({ kind: 'won', version: basedOn + 1 }),
  settle: () => Promise.resolve(),
};

const KEY = 'wmsj:evaluation:weights';
/** Longer than the store's request timeout (store/http.ts, 30 s): an insert still out then has failed. */
export const ABANDONED_MS = 60_000;

/**
 * KEYS[1] the claim; ARGV: based-on version, the store's newest, abandoned ms. Answers {1, version}
 * when won, {0, newest} when behind.
 */
const CLAIM = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local held = redis.call('HMGET', KEYS[1], 'v', 'pending', 'at')
local stored = tonumber(ARGV[2])
local v = tonumber(held[1]) or 0
if held[2] == '1' and v > stored and now - tonumber(held[3]) > tonumber(ARGV[3]) then v = stored end
if stored > v then v = stored end
if v ~= tonumber(ARGV[1]) then return {0, v} end
redis.call('HSET', KEYS[1], 'v', v + 1, 'pending', '1', 'at', now)
return {1, v + 1}
`;

/** KEYS[1] the claim; ARGV: version, kept ('1'/'0'). Only the still-pending claim of that number moves. */
const SETTLE = `
local held = redis.call('HMGET', KEYS[1], 'v', 'pending')
if tonumber(held[1]) ~= tonumber(ARGV[1]) or held[2] ~= '1' then return 0 end
if ARGV[2] == '1' then
  redis.call('HSET', KEYS[1], 'pending', '0')
else
  redis.call('HSET', KEYS[1], 'v', tonumber(ARGV[1]) - 1, 'pending', '0')
end
return 1
`;

/** `abandonedMs`: how long a pending claim holds its number (shorter in a test). */
export function redisClaims(redis: Redis, abandonedMs = ABANDONED_MS): WeightsClaims {
  return {
    async claim(basedOn, stored) {
      let answer: [number, number];
      try {
        answer = (await redis.eval(CLAIM, 1, KEY, basedOn, stored, abandonedMs)) as [number, number];
      } catch {
        return { kind: 'unreachable' };
      }
      return answer[0] === 1 ? { kind: 'won', version: answer[1] } : { kind: 'behind', newest: answer[1] };
    },
    async settle(version, kept) {
      await redis.eval(SETTLE, 1, KEY, version, kept ? '1' : '0');
    },
  };
}

/** The key, for tests that look at or disturb the claim. */
export const WEIGHTS_CLAIM_KEY = KEY;
