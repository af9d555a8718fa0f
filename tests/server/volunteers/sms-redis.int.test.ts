/**
 * Volunteers' SMS login codes kept in a real Redis (sms-redis.ts): two instances on one Redis act as
 * two nodes, so a code asked for at one is checked at the other with SmsCodes' rules — once, five
 * tries in all wherever they are made, one new code per resend time — and Redis holds neither the
 * phone number nor the code.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMS_CODE_TRIES } from '../../../server/volunteers/sms.js';
import { RedisSmsCodes } from '../../../server/volunteers/sms-redis.js';
import { startRedis, type TestRedis } from '../../helpers/redis.js';

let redis: TestRedis;
const clients: Redis[] = [];
const ready = async (): Promise<Redis> => {
  const c = redis.client();
  clients.push(c);
  if (c.status !== 'ready') await new Promise((resolve) => c.once('ready', resolve));
  return c;
};
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.quit()));
  await redis.stop();
});

const TIMES = { ttlMs: 2_000, resendMs: 300 };
let phones = 0;
const phone = () => `139${String(10_000_000 + ++phones)}`;
const other = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const nodes = async (): Promise<[RedisSmsCodes, RedisSmsCodes]> => [
  new RedisSmsCodes(await ready(), TIMES),
  new RedisSmsCodes(await ready(), TIMES),
];

describe('SMS login codes in Redis', () => {
  it('a code issued at one node is right once at the other, and is then gone at both', async () => {
    const [a, b] = await nodes();
    const p = phone();
    const code = (await a.issue(p)) ?? '';
    expect(code).toMatch(/^\d{6}$/);
    expect(await b.check(phone(), code)).toBe(false);
    expect(await b.check(p, code)).toBe(true);
    expect(await a.check(p, code)).toBe(false);
    expect(await b.check(p, code)).toBe(false);
  });

  it('the right code sent to both nodes at once logs in once', async () => {
    const [a, b] = await nodes();
    const p = phone();
    const code = (await a.issue(p)) ?? '';
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).check(p, code)));
    expect(answers.filter(Boolean)).toHaveLength(1);
  });

  it('counts wrong tries made at either node; the last one drops the code', async () => {
    const [a, b] = await nodes();
    const p = phone();
    const code = (await a.issue(p)) ?? '';
    for (let i = 0; i < SMS_CODE_TRIES; i++) expect(await (i % 2 ? a : b).check(p, other(code))).toBe(false);
    expect(await a.check(p, code)).toBe(false);
  });

  it('issues no new code within the resend time at any node, and replaces the old one after', async () => {
    const [a, b] = await nodes();
    const p = phone();
    const first = (await a.issue(p)) ?? '';
    expect(await b.issue(p)).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, TIMES.resendMs + 50));
    const second = (await b.issue(p)) ?? '';
    expect(second).toMatch(/^\d{6}$/);
    if (second !== first) expect(await a.check(p, first)).toBe(false);
    expect(await a.check(p, second)).toBe(true);
  });

  it('forgets a code after its time', async () => {
    const [a, b] = await nodes();
    const p = phone();
    const code = (await a.issue(p)) ?? '';
    await new Promise((resolve) => setTimeout(resolve, TIMES.ttlMs + 50));
    expect(await b.check(p, code)).toBe(false);
  });

  it('keeps neither the phone number nor the code in Redis, and expires what it keeps', async () => {
    const [a] = await nodes();
    const c = await ready();
    const p = phone();
    const code = (await a.issue(p)) ?? '';
    const keys = await c.keys('wmsj:sms:*');
    expect(keys.length).toBeGreaterThan(0);
    const kept = await redis.contents();
    expect(kept).not.toContain(p);
    expect(kept).not.toMatch(new RegExp(`"${code}"`));
    for (const k of keys) expect(await c.pttl(k)).toBeGreaterThan(0);
  });
});
