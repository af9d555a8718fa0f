import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../shared/live.js';
import { mergeFeed, mergeTrend, newestFirst } from '../../shared/live-merge.js';

const item = (id: string, ts: number): FeedItem => ({
  id,
  type: 'checkin',
  ts,
  nodeId: 'S001',
  nodeName: '站',
  who: '张*',
  what: '',
  tag: '',
});

describe('mergeFeed', () => {
  it('keeps a re-sent item once, newest first, capped', () => {
    const merged = mergeFeed([item('a', 1), item('b', 2)], [item('b', 2), item('c', 3)], 10);
    expect(merged.map((f) => f.id)).toEqual(['c', 'b', 'a']);
    const many = Array.from({ length: 40 }, (_, i) => item(`x${i}`, i));
    expect(mergeFeed([], many, 30)).toHaveLength(30);
  });

  it('places a late event by its time, not on top', () => {
    const merged = mergeFeed([item('order', 2_000), item('old', 500)], [item('late-checkin', 1_000)], 10);
    expect(merged.map((f) => f.id)).toEqual(['order', 'late-checkin', 'old']);
  });

  it('breaks a tie of times by id, descending, as the store orders them', () => {
    expect([item('a', 5), item('c', 5), item('b', 5)].sort(newestFirst).map((f) => f.id)).toEqual(['c', 'b', 'a']);
  });

  it('holds the newest `cap` of everything seen, whatever the frames and their order', () => {
    const events = fc.uniqueArray(fc.record({ id: fc.uuid(), ts: fc.integer({ min: 0, max: 50 }) }), {
      selector: (e) => e.id,
      maxLength: 80,
    });
    fc.assert(
      fc.property(events, fc.array(fc.nat(), { maxLength: 20 }), fc.integer({ min: 1, max: 40 }), (all, cuts, cap) => {
        // Frames as a wall receives them: arrival order, cut anywhere, some lines sent twice.
        const frames: FeedItem[][] = [];
        let start = 0;
        for (const cut of [...cuts.map((c) => c % (all.length + 1)).sort((a, b) => a - b), all.length]) {
          frames.push(all.slice(Math.max(0, start - 1), cut).map((e) => item(e.id, e.ts)));
          start = cut;
        }
        const live = frames.reduce<FeedItem[]>((held, frame) => mergeFeed(held, frame, cap), []);
        const fresh = [...all].sort(newestFirst).slice(0, cap);
        expect(live.map((f) => f.id)).toEqual(fresh.map((e) => e.id));
      }),
    );
  });
});

describe('mergeTrend', () => {
  it('replaces changed minutes and keeps the last `cap`', () => {
    const trend = mergeTrend(
      [
        { t: 0, checkins: 1 },
        { t: 60_000, checkins: 2 },
      ],
      [{ t: 60_000, checkins: 5 }],
      60,
    );
    expect(trend).toEqual([
      { t: 0, checkins: 1 },
      { t: 60_000, checkins: 5 },
    ]);
    const long = Array.from({ length: 90 }, (_, i) => ({ t: i * 60_000, checkins: i }));
    expect(mergeTrend([], long, 60)).toHaveLength(60);
  });
});
