import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RecentIds } from '../../../server/ingest/recent-ids.js';

describe('RecentIds', () => {
  it('remembers at least the newest half of its capacity and never holds more than it', () => {
    const ids = new RecentIds(1_000);
    for (let i = 0; i < 10_000; i += 1) {
      ids.add(`e${i}`);
      expect(ids.size).toBeLessThanOrEqual(1_000);
    }
    for (let i = 10_000 - 500; i < 10_000; i += 1) expect(ids.has(`e${i}`)).toBe(true);
    expect(ids.has('e0')).toBe(false);
    expect(ids.has('e8000')).toBe(false);
  });

  it('counts an id added twice once', () => {
    const ids = new RecentIds(10);
    ids.add('a');
    ids.add('a');
    expect(ids.size).toBe(1);
  });

  // Ingest's ids are lower-case UUIDs, held as 128-bit words in typed arrays (not strings on the heap).
  it('answers for UUIDs as for any id: the newest half kept through generations, nothing invented', () => {
    const ids = new RecentIds(2_000);
    const added = Array.from({ length: 5_000 }, () => randomUUID());
    for (const id of added) {
      ids.add(id);
      expect(ids.size).toBeLessThanOrEqual(2_000);
    }
    for (const id of added.slice(-1_000)) expect(ids.has(id)).toBe(true);
    expect(added.slice(0, 1_000).filter((id) => ids.has(id))).toEqual([]);
    for (let i = 0; i < 1_000; i += 1) expect(ids.has(randomUUID())).toBe(false);
  });

  it('tells UUIDs apart that differ in one word, keeps the all-zero one, and counts a re-add once', () => {
    const ids = new RecentIds(100);
    const base = '0190a1b2-c3d4-7e5f-8a6b-000000000001';
    ids.add(base);
    ids.add(base);
    expect(ids.size).toBe(1);
    for (const other of [
      '0190a1b2-c3d4-7e5f-8a6b-000000000002',
      '1190a1b2-c3d4-7e5f-8a6b-000000000001',
      '0190a1b2-c3d5-7e5f-8a6b-000000000001',
      '0190a1b2-c3d4-7e5f-8a6c-000000000001',
    ])
      expect(ids.has(other)).toBe(false);
    const nil = '00000000-0000-0000-0000-000000000000';
    expect(ids.has(nil)).toBe(false);
    ids.add(nil);
    expect(ids.has(nil)).toBe(true);
    expect(ids.size).toBe(2);
  });

  it('keeps an id that is no lower-case UUID as the string it is', () => {
    const ids = new RecentIds(100);
    const upper = '0190A1B2-C3D4-7E5F-8A6B-00000000000F';
    ids.add(upper);
    expect(ids.has(upper)).toBe(true);
    expect(ids.has(upper.toLowerCase())).toBe(false);
    ids.add(upper.toLowerCase());
    expect(ids.size).toBe(2);
  });
});
