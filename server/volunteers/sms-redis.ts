/**
 * Volunteers' SMS login codes on several nodes (REDIS_URL), with SmsCodes' rules (sms.ts): nginx may
 * send the phone's "get a code" to one node and its "log in" to another, so the code is kept where
 * every node reads it. One hash per phone holds the code's salt and salted hash (never the code),
 * when it was issued and the tries left; it expires with the code. Each step is one Lua script on
 * Redis's clock, so a resend inside the minute, a sixth guess or a second use of the right code is
 * refused however the calls are spread over nodes.
 *
 * The key names the phone by a hash, so a listing of Redis's keys shows no phone number. Redis out of
 * reach refuses the step (SHARED_UNAVAILABLE, reach.ts): a code nobody can check must not be sent.
 */
import type { Redis } from 'ioredis';
import { reach } from '../auth/reach.js';
import { phoneKey } from './shared.js';
import { digest, newCode, SMS_CODE_TRIES, SMS_CODE_TTL_MS, SMS_RESEND_MS, type LoginCodes } from './sms.js';

const PREFIX = 'wmsj:sms:';
const keyOf = (phone: string): string => phoneKey(PREFIX, phone);

/** KEYS[1] the phone's hash; ARGV salt, hash (hex), tries, ttl ms, resend ms. 0: a code was issued within the resend time. */
const ISSUE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local issued = redis.call('HGET', KEYS[1], 'issuedAt')
if issued and now - tonumber(issued) < tonumber(ARGV[5]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'salt', ARGV[1], 'hash', ARGV[2], 'tries', ARGV[3], 'issuedAt', now)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`;

/**
 * KEYS[1] the phone's hash; ARGV the salt the caller hashed with, and its hash (hex). 1: right, the
 * code is used up. A salt that changed meanwhile (a new code was issued) costs no try.
 */
const CHECK = `
local held = redis.call('HMGET', KEYS[1], 'salt', 'hash')
if not held[1] or held[1] ~= ARGV[1] then return 0 end
if held[2] == ARGV[2] then
  redis.call('DEL', KEYS[1])
  return 1
end
if redis.call('HINCRBY', KEYS[1], 'tries', -1) <= 0 then redis.call('DEL', KEYS[1]) end
return 0
`;

export class RedisSmsCodes implements LoginCodes {
  constructor(
    private readonly redis: Redis,
    /** Tests shorten them; the product uses SmsCodes' own. */
    private readonly times = { ttlMs: SMS_CODE_TTL_MS, resendMs: SMS_RESEND_MS },
  ) {}

  async issue(phone: string): Promise<string | null> {
    const { code, salt, hash } = newCode();
    const args = [salt.toString('hex'), hash.toString('hex'), SMS_CODE_TRIES, this.times.ttlMs, this.times.resendMs];
    const issued = await reach(this.redis, (r) => r.eval(ISSUE, 1, keyOf(phone), ...args));
    return Number(issued) === 1 ? code : null;
  }

  async check(phone: string, code: string): Promise<boolean> {
    const key = keyOf(phone);
    const salt = await reach(this.redis, (r) => r.hget(key, 'salt'));
    if (salt === null) return false;
    const hash = digest(Buffer.from(salt, 'hex'), code).toString('hex');
    return Number(await reach(this.redis, (r) => r.eval(CHECK, 1, key, salt, hash))) === 1;
  }
}
