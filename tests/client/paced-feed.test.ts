/** The scroll board's pacing: one row revealed per tick, newest on top, and nothing moves while paused. */
import { effectScope, nextTick, ref, shallowRef } from 'vue';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FeedItem } from '../../shared/live.js';
import { usePacedFeed } from '../../client/composables/usePacedFeed.js';
import { mergeFeed, newestFirst } from '../../shared/live-merge.js';

const item = (n: number): FeedItem => ({
  id: `E${n}`,
  type: 'checkin',
  ts: 1_700_000_000_000 + n * 1000,
  nodeId: 'S001',
  nodeName: '站',
  who: '张*',
  what: '',
  tag: '',
});
/** Newest first, as the store holds them. */
const newest = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => item(to - i));

describe('usePacedFeed', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function board(paused = ref(false)) {
    const source = shallowRef<readonly FeedItem[]>(newest(1, 5));
    const scope = effectScope();
    const shown = scope.run(() => usePacedFeed(source, 5, paused, 600));
    if (!shown) throw new Error('no board');
    return { source, shown, paused, scope, ids: () => shown.value.map((i) => i.id) };
  }

  it('shows the snapshot at once, then reveals one new row a tick, oldest first', async () => {
    const b = board();
    expect(b.ids()).toEqual(['E5', 'E4', 'E3', 'E2', 'E1']);
    b.source.value = newest(1, 8);
    await nextTick();
    expect(b.ids()[0]).toBe('E5');
    vi.advanceTimersByTime(600);
    expect(b.ids()).toEqual(['E6', 'E5', 'E4', 'E3', 'E2']);
    vi.advanceTimersByTime(1200);
    expect(b.ids()).toEqual(['E8', 'E7', 'E6', 'E5', 'E4']);
    b.scope.stop();
  });

  it('holds every row still while paused, and goes on from where it was when the pause ends', async () => {
    const b = board();
    b.paused.value = true;
    b.source.value = newest(1, 7);
    await nextTick();
    vi.advanceTimersByTime(6000);
    expect(b.ids()).toEqual(['E5', 'E4', 'E3', 'E2', 'E1']);
    b.source.value = newest(1, 9);
    await nextTick();
    vi.advanceTimersByTime(6000);
    expect(b.ids()).toEqual(['E5', 'E4', 'E3', 'E2', 'E1']);
    b.paused.value = false;
    vi.advanceTimersByTime(600);
    expect(b.ids()).toEqual(['E6', 'E5', 'E4', 'E3', 'E2']);
    vi.advanceTimersByTime(1800);
    expect(b.ids()).toEqual(['E9', 'E8', 'E7', 'E6', 'E5']);
    b.scope.stop();
  });

  it('stops its timer with its scope', () => {
    const b = board();
    b.scope.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
  it('puts a late arrival in its place by time, not on top', async () => {
    const b = board();
    b.source.value = newest(1, 8);
    await nextTick();
    vi.advanceTimersByTime(600 * 3);
    expect(b.ids()).toEqual(['E8', 'E7', 'E6', 'E5', 'E4']);
    // E7.5 — stamped between two shown lines — arrives after both were revealed (03:42:37 above 03:42:44).
    const late = { ...item(7), id: 'E7b', ts: item(7).ts + 500 };
    b.source.value = [item(8), late, ...newest(1, 7)];
    await nextTick();
    vi.advanceTimersByTime(600);
    expect(b.ids()).toEqual(['E8', 'E7b', 'E7', 'E6', 'E5']);
    b.scope.stop();
  });

  it('reads in time order at every tick, whatever order frames bring lines in (property)', async () => {
    // Frames carry lines up to 20 s late and out of order, as ingest from many sites does.
    const frame = fc.array(
      fc.record({ offset: fc.integer({ min: 0, max: 20 }), late: fc.integer({ min: 0, max: 20 }) }),
      {
        maxLength: 6,
      },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(frame, { minLength: 1, maxLength: 12 }),
        fc.array(fc.boolean(), { maxLength: 30 }),
        async (frames, pauses) => {
          const b = board();
          let store = b.source.value;
          let clock = 10;
          let n = 100;
          for (const [i, lines] of frames.entries()) {
            clock += 3;
            const fresh = lines.map(({ offset, late }) => ({
              ...item(0),
              id: `F${n++}`,
              ts: item(0).ts + (clock + offset - late) * 1000,
            }));
            store = mergeFeed(store, fresh, 50);
            b.source.value = store;
            await nextTick();
            b.paused.value = pauses[i] ?? false;
            for (let tick = 0; tick < 3; tick += 1) {
              vi.advanceTimersByTime(600);
              const shown = b.shown.value;
              expect([...shown].sort(newestFirst)).toEqual(shown);
              expect(new Set(shown.map((s) => s.id)).size).toBe(shown.length);
            }
          }
          b.scope.stop();
        },
      ),
      { numRuns: 200 },
    );
  });
});
