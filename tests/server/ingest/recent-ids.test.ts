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
});
