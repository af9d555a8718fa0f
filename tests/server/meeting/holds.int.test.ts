/**
 * The holds behind one interface, in memory and in a real Redis: a compare-and-set on what the act
 * was decided on, so of tablets taking a group over at once exactly one wins (here several services
 * on one Redis stand for several nodes), and a lost tablet's hold carries an expiry in Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import type { AuditEntry } from '../../../server/auth/audit.js';
import { MemoryHolds, RedisHolds, type HoldStore } from '../../../server/meeting/holds.js';
import { MeetingService } from '../../../server/meeting/service.js';
import type { Controller, MeetingView } from '../../../shared/meeting.js';
import { startRedis, type TestRedis } from '../../helpers/redis.js';

const VIEW: MeetingView = { dashboard: 'command-center', scope: null, card: null, windows: {}, heat: null };
const holder: Controller = { id: 'wang/tab-a', user: 'wang', name: '王主任', role: 'leader' };
const rivals: Controller[] = Array.from({ length: 6 }, (_, i) => ({
  id: `u${i}/tab-${i}`,
  user: `u${i}`,
  name: `领导${i}`,
  role: 'leader',
}));

let redis: TestRedis;
let client: Redis;
beforeAll(async () => {
  redis = await startRedis();
  client = redis.client();
});
afterAll(async () => {
  await client.quit();
  await redis.stop();
});

const stores: [string, () => HoldStore][] = [
  ['memory', () => new MemoryHolds()],
  ['redis', () => new RedisHolds(client)],
];

describe.each(stores)('holds in %s', (kind, make) => {
  it('lets exactly one of several concurrent takeovers win, each audited once', async () => {
    const group = `主屏-${kind}-race`;
    const holds = make();
    const audits: AuditEntry[] = [];
    // Several services on one store: the nodes of a cluster.
    const nodes = rivals.map(
      () => new MeetingService({ holds, audit: (e) => audits.push(e), publish: () => undefined }),
    );
    expect((await nodes[0]?.act(group, { type: 'take', by: holder, view: VIEW }))?.ok).toBe(true);
    const results = await Promise.all(
      nodes.map((node, i) =>
        node.act(group, { type: 'takeover', by: rivals[i] ?? holder, from: holder.id, view: VIEW }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.flatMap((r) => (r.ok ? [] : [r.error.code]))).toEqual(
      Array(rivals.length - 1).fill('MEETING_GROUP_HELD'),
    );
    expect(audits.map((a) => a.action)).toEqual(['meeting.take', 'meeting.takeover']);
    expect((await holds.list()).filter((h) => h.group === group)).toHaveLength(1);
  });

  it('frees a released group (stored as nothing) and sweeps out a lost tablet after the grace', async () => {
    const group = `主屏-${kind}-sweep`;
    const holds = make();
    let now = 1_790_000_000_000;
    const audits: AuditEntry[] = [];
    const service = new MeetingService({
      holds,
      graceMs: 1000,
      audit: (e) => audits.push(e),
      publish: () => undefined,
      now: () => now,
    });
    await service.act(group, { type: 'take', by: holder, view: VIEW });
    await service.act(group, { type: 'release', by: holder });
    expect((await holds.read(group)).raw).toBeNull();
    await service.act(group, { type: 'take', by: holder, view: VIEW });
    await service.act(group, { type: 'lost', by: holder });
    if (kind === 'redis') expect(await client.pttl(`wmsj:meeting:hold:${group}`)).toBeGreaterThan(0);
    now += 999;
    expect(await service.sweep()).toBe(0);
    now += 1;
    expect(await service.sweep()).toBe(1);
    expect((await service.read(group)).holder).toBeNull();
    expect(audits.map((a) => [a.action, a.actor])).toEqual([
      ['meeting.take', 'wang'],
      ['meeting.release', 'wang'],
      ['meeting.take', 'wang'],
      ['meeting.timeout', 'wang'],
    ]);
  });
});
