/**
 * Where an order's version is won (issue 18.2). On one node the order's queue (order-queue.ts) is
 * enough: the service reads, decides and writes inside it, so nothing moves the order between the
 * check and the write. Several nodes each have their own queue, so before an accepted decision's
 * events are written the node claims the new version in Redis: a compare-and-set on
 * `wmsj:dispatch:order:<id>` (one Lua script, atomic in Redis) that succeeds only when the version
 * there is still the one the decision started from. One claim per version succeeds in the cluster;
 * a node that loses gets the winner's order back, adopts it and decides again, so its dispatcher is
 * refused with the stale-version code and the current order, as on one node.
 *
 * A compare-and-set rather than a lease per order: the command already knows the version it read,
 * the claim costs one round trip (a lease costs two, and a second for its release), and nothing
 * is held between commands — a node that dies holds no order. The record holds the whole order
 * after the claim (its state, its recent history, its events' ids), so a node behind catches up
 * from it at once, without waiting for the winner's events to reach ClickHouse.
 *
 * Between the claim and the write-ahead log's answer the record is marked pending (the claimer's
 * token, for a few seconds by Redis's clock): a claim on a pending record waits instead of building
 * on a version whose events may still be refused. When ingest refuses them the claimer puts the
 * record back. When the claimer dies in between, the mark expires and the claimed version stands:
 * its events are in that node's log (replayed into ClickHouse when it comes back) or were never
 * written — either way the next command builds on the next version, and no version is ever won
 * twice, which putting the record back after a death could not promise (the dead node's log may hold it).
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { HistoryEntry } from '../../shared/dispatch.js';
import type { VolunteerStatus } from '../../shared/events.js';
import type { Order } from '../../shared/orders.js';
import { reach } from '../auth/reach.js';
import { keysMatching } from './redis-keys.js';

/** An order as the cluster holds it after its last accepted command: enough for a node behind to catch up. */
export interface OrderRecord {
  order: Order;
  /** The order's recent transitions, as the projection keeps them for the view. */
  history: HistoryEntry[];
  /** The ids of the events the last command wrote (a retry of it at another node is a replay). */
  eventIds: string[];
  /** Volunteers' statuses those events reported. */
  statuses: { volunteerId: string; status: VolunteerStatus }[];
}

export type Claim =
  /** This node won the version; `settle` it once the events are written or refused. */
  | { kind: 'won'; token: string }
  /** Another node is ahead: its record, to adopt before deciding again. */
  | { kind: 'behind'; record: OrderRecord | null }
  /** Another node's claim is being written: ask again shortly. */
  | { kind: 'busy' }
  /** Redis did not answer: no version can be won now. */
  | { kind: 'unreachable' };

export interface OrderVersions {
  /** Claims `record.order.version` for the order, if the cluster's version is still `from` (0: none yet). */
  claim(from: number, record: OrderRecord): Promise<Claim>;
  /** The claim's events were written (`kept`), or not: the record goes back to what it was. */
  settle(orderId: string, token: string, kept: boolean): Promise<void>;
  /** The cluster's record of an order; null when it holds none (one node holds none ever). */
  current(orderId: string): Promise<OrderRecord | null>;
  /** Every record the cluster holds (a node's start catches up on what ClickHouse does not have yet). */
  all(): Promise<OrderRecord[]>;
}

/** One node: the order's queue already makes every claim the only one. */
export const localVersions: OrderVersions = {
  claim: () => Promise.resolve({ kind: 'won', token: '' }),
  settle: () => Promise.resolve(),
  current: () => Promise.resolve(null),
  all: () => Promise.resolve([]),
};

const PREFIX = 'wmsj:dispatch:order:';
const keyOf = (orderId: string): string => `${PREFIX}${orderId}`;
/** Long enough for any write-ahead log answer; a claimer gone longer is dead (see above). */
const PENDING_MS = 5_000;
/** Open orders are loaded from the last 30 days (projection.ts); a record lives as long after its last claim. */
const KEEP_MS = 30 * 86_400_000;

/**
 * KEYS[1] the order's record; ARGV: from version, new version, record, token, pending ms, keep ms.
 * Answers {'won'}, {'busy'} or {'behind', record}. A missing record matches any `from`: the order
 * predates the cluster (or its record expired) and every node loaded it from the same ClickHouse.
 */
const CLAIM = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local held = redis.call('HMGET', KEYS[1], 'v', 'rec', 'token', 'until')
if held[1] then
  if held[3] and held[3] ~= '' and tonumber(held[4]) > ms then return {'busy'} end
  if tonumber(held[1]) ~= tonumber(ARGV[1]) then return {'behind', held[2]} end
end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'rec', ARGV[3], 'prev', held[2] or '', 'token', ARGV[4], 'until', ms + tonumber(ARGV[5]))
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return {'won'}
`;

/** KEYS[1] the record; ARGV: token, kept ('1'/'0'). Only the claimer's own pending claim is settled. */
const SETTLE = `
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return 0 end
if ARGV[2] == '1' then
  redis.call('HSET', KEYS[1], 'token', '', 'until', 0)
  return 1
end
local prev = redis.call('HGET', KEYS[1], 'prev')
if not prev or prev == '' then
  redis.call('DEL', KEYS[1])
  return 1
end
local v = cjson.decode(prev)['order']['version']
redis.call('HSET', KEYS[1], 'v', v, 'rec', prev, 'prev', '', 'token', '', 'until', 0)
return 1
`;

const parse = (text: string | null | undefined): OrderRecord | null =>
  text ? (JSON.parse(text) as OrderRecord) : null;

/** `pendingMs`: how long a claim waits for its write before it stands anyway (shorter in a test). */
export function redisVersions(redis: Redis, pendingMs = PENDING_MS): OrderVersions {
  return {
    async claim(from, record) {
      const token = randomUUID();
      let answer: [string, string | null | undefined];
      try {
        // Refused at once when Redis is away, or after a deadline when it does not answer (reach.ts).
        answer = (await reach(redis, (r) =>
          r.eval(
            CLAIM,
            1,
            keyOf(record.order.id),
            from,
            record.order.version,
            JSON.stringify(record),
            token,
            pendingMs,
            KEEP_MS,
          ),
        )) as [string, string | null | undefined];
      } catch {
        return { kind: 'unreachable' };
      }
      if (answer[0] === 'won') return { kind: 'won', token };
      if (answer[0] === 'busy') return { kind: 'busy' };
      return { kind: 'behind', record: parse(answer[1]) };
    },
    async settle(orderId, token, kept) {
      await reach(redis, (r) => r.eval(SETTLE, 1, keyOf(orderId), token, kept ? '1' : '0'));
    },
    async current(orderId) {
      return parse(await reach(redis, (r) => r.hget(keyOf(orderId), 'rec')));
    },
    async all() {
      const keys = await keysMatching(redis, `${PREFIX}*`);
      if (keys.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const key of keys) pipeline.hget(key, 'rec');
      const records: OrderRecord[] = [];
      for (const [, text] of (await pipeline.exec()) ?? []) {
        const record = parse(text as string | null);
        if (record) records.push(record);
      }
      return records;
    },
  };
}
