/**
 * The login lockout shared by several nodes (REDIS_URL), with Lockout's rules (lockout.ts): an
 * attempt takes one of `max` places in a sliding window before its password is checked, so at most
 * `max` guesses are checked per window however many arrive at once — now across every node, so
 * guesses spread over three nodes lock as soon as on one. One sorted set per username-and-address
 * key, its members the attempts (a failed one marked `f:`) scored by when they came; each step is
 * one Lua script, atomic in Redis, and reads the time from Redis so that nodes' clocks cannot
 * disagree about a window. The set expires with its newest attempt's window.
 *
 * When Redis is out of reach a login is refused (SHARED_UNAVAILABLE, reach.ts) rather than
 * checked without a place: a guesser must not get unlimited tries by cutting Redis off.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { keysMatching } from '../dispatch/redis-keys.js';
import type { Attempt, LoginLockout } from './lockout.js';
import { reach } from './reach.js';

const PREFIX = 'wmsj:auth:lockout:';
const FAILED = 'f:';

/** Every script starts here: Redis's clock, and the attempts older than the window dropped. ARGV[1] max, ARGV[2] window ms. */
const WINDOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local max = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local function lockedFor()
  local n = redis.call('ZCARD', KEYS[1])
  if n < max then return 0 end
  local oldest = redis.call('ZRANGE', KEYS[1], n - max, n - max, 'WITHSCORES')
  return math.max(0, tonumber(oldest[2]) + window - now)
end
local function failures()
  local n = 0
  for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
    if string.sub(m, 1, 2) == '${FAILED}' then n = n + 1 end
  end
  return n
end
`;

/** ARGV[3] the attempt's id. Answers {1, now} with its place taken, or {0, ms locked}. */
const RESERVE = `${WINDOW}
local locked = lockedFor()
if locked > 0 or redis.call('ZCARD', KEYS[1]) >= max then return {0, locked} end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return {1, now}
`;

/** ARGV[3] the attempt's id. Marks it failed; 1 when this failure is the one that fills the window. */
const FAIL = `${WINDOW}
local at = redis.call('ZSCORE', KEYS[1], ARGV[3])
if not at then return 0 end
redis.call('ZREM', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[1], at, '${FAILED}' .. ARGV[3])
if failures() == max then return 1 end
return 0
`;

/** Answers {failures, ms locked}. */
const STATE = `${WINDOW}
return {failures(), lockedFor()}
`;

export class RedisLockout implements LoginLockout {
  constructor(
    private readonly redis: Redis,
    private readonly max = 5,
    private readonly windowMs = 15 * 60_000,
  ) {}

  async reserve(key: string): Promise<Attempt | null> {
    const id = randomUUID();
    const [placed, at] = (await this.run(RESERVE, key, id)) as [number, number];
    return placed === 1 ? { key, at, failed: false, id } : null;
  }

  async fail(attempt: Attempt): Promise<boolean> {
    if (attempt.id === undefined) return false;
    const filled = (await this.run(FAIL, attempt.key, attempt.id)) as number;
    attempt.failed = true;
    return filled === 1;
  }

  async clear(key: string): Promise<void> {
    await reach(this.redis, (r) => r.del(PREFIX + key));
  }

  async lockedFor(key: string): Promise<number> {
    return (await this.state(key)).lockedForMs;
  }

  async entries(): Promise<{ key: string; failures: number; lockedForMs: number }[]> {
    const keys = await this.keys();
    const states = await Promise.all(keys.map(async (key) => ({ key, ...(await this.state(key)) })));
    return states.filter((e) => e.failures > 0);
  }

  async clearWhere(matches: (key: string) => boolean): Promise<number> {
    const keys = (await this.keys()).filter(matches);
    const states = await Promise.all(keys.map((key) => this.state(key)));
    if (keys.length > 0) await reach(this.redis, (r) => r.del(...keys.map((k) => PREFIX + k)));
    return states.filter((s) => s.failures > 0).length;
  }

  private async state(key: string): Promise<{ failures: number; lockedForMs: number }> {
    const [failures, lockedForMs] = (await this.run(STATE, key)) as [number, number];
    return { failures, lockedForMs };
  }

  private keys(): Promise<string[]> {
    return reach(this.redis, async (r) => (await keysMatching(r, `${PREFIX}*`)).map((k) => k.slice(PREFIX.length)));
  }

  private run(script: string, key: string, ...args: string[]): Promise<unknown> {
    return reach(this.redis, (r) => r.eval(script, 1, PREFIX + key, this.max, this.windowMs, ...args));
  }
}
