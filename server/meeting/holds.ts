/**
 * Who holds which group of walls, behind one small interface: in Redis when several nodes share it
 * (`app.redis`), in this process's memory on one node. A change is a compare-and-set on the stored
 * text, so two tablets taking over at once (on any nodes) cannot both win; a free group is stored as
 * nothing. In Redis a hold whose tablet went away carries an expiry a little past the grace, so a
 * group whose node died with its timer is free again by itself.
 */
import type { Redis } from 'ioredis';
import { Compile } from 'typebox/compile';
import { freeHold, type GroupHold } from '../../shared/meeting.js';
import { GroupHoldSchema } from '../../shared/meeting-schemas.js';

export interface Stored {
  /** The stored text (null: free), handed back to `swap` as what the change was decided on. */
  raw: string | null;
  hold: GroupHold;
}

export interface HoldStore {
  read(group: string): Promise<Stored>;
  /** Stores `next` (a free group: deletes) if the group still holds `raw`; answers whether it did. */
  swap(group: string, raw: string | null, next: GroupHold, expireMs: number | null): Promise<boolean>;
  /** Every held group. */
  list(): Promise<GroupHold[]>;
}

const checkHold = Compile(GroupHoldSchema);
const parse = (group: string, raw: string | null): GroupHold => {
  if (raw === null) return freeHold(group);
  const value: unknown = JSON.parse(raw);
  // A damaged record frees the group rather than stopping every act on it.
  return checkHold.Check(value) ? value : freeHold(group);
};

export class MemoryHolds implements HoldStore {
  private readonly holds = new Map<string, string>();

  read(group: string): Promise<Stored> {
    const raw = this.holds.get(group) ?? null;
    return Promise.resolve({ raw, hold: parse(group, raw) });
  }

  swap(group: string, raw: string | null, next: GroupHold): Promise<boolean> {
    if ((this.holds.get(group) ?? null) !== raw) return Promise.resolve(false);
    if (next.holder === null) this.holds.delete(group);
    else this.holds.set(group, JSON.stringify(next));
    return Promise.resolve(true);
  }

  list(): Promise<GroupHold[]> {
    return Promise.resolve([...this.holds].map(([group, raw]) => parse(group, raw)));
  }
}

const PREFIX = 'wmsj:meeting:hold:';
/**
 * KEYS[1] the hold; ARGV: the text it was decided on ('' for none), the next text ('' to delete),
 * its expiry in ms ('0' for none). Answers 1 when it swapped.
 */
const SWAP = `
local current = redis.call('GET', KEYS[1])
if (current or '') ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) return 1 end
if ARGV[3] == '0' then redis.call('SET', KEYS[1], ARGV[2]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
return 1`;

export class RedisHolds implements HoldStore {
  constructor(private readonly redis: Redis) {}

  async read(group: string): Promise<Stored> {
    const raw = await this.redis.get(PREFIX + group);
    return { raw, hold: parse(group, raw) };
  }

  async swap(group: string, raw: string | null, next: GroupHold, expireMs: number | null): Promise<boolean> {
    const text = next.holder === null ? '' : JSON.stringify(next);
    const done = await this.redis.eval(SWAP, 1, PREFIX + group, raw ?? '', text, String(expireMs ?? 0));
    return done === 1;
  }

  async list(): Promise<GroupHold[]> {
    const keys: string[] = [];
    let cursor = '0';
    // Bounded: a county has a handful of groups; SCAN's cursor comes back to 0 after one pass.
    for (let i = 0; i < 1000; i += 1) {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 100);
      keys.push(...batch);
      cursor = next;
      if (cursor === '0') break;
    }
    if (keys.length === 0) return [];
    const values = await this.redis.mget(...keys);
    return keys.flatMap((key, i) => {
      const raw = values[i] ?? null;
      return raw === null ? [] : [parse(key.slice(PREFIX.length), raw)];
    });
  }
}
