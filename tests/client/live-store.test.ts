import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watch } from 'vue';
import { emptyKpi } from '../../shared/kpi.js';
import type { FeedItem, LiveSnapshot, LiveTick } from '../../shared/live.js';
import { ok, type Result } from '../../shared/result.js';
import type { LiveSocket } from '../../client/socket.js';
import { useLiveStore } from '../../client/stores/live.js';
import { computeScale } from '../../client/composables/useScreenScale.js';
import { trendScale } from '../../client/charts/trendOption.js';

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
const snapshot = (seq: number, checkins: number): LiveSnapshot => ({
  seq,
  kpi: { ...emptyKpi(Date.now()), checkinsToday: checkins },
  trend: [],
  feed: [],
});
const tick = (seq: number, checkins: number, feed: FeedItem[] = []): LiveTick => ({ ...snapshot(seq, checkins), feed });

/** Just enough of a socket.io client to drive the store: handlers by name, resync answered by `answer`. */
function fakeSocket(answer: () => LiveSnapshot) {
  const handlers = new Map<string, (...args: unknown[]) => void>();
  let resyncs = 0;
  const socket = {
    on: (name: string, fn: (...args: unknown[]) => void) => handlers.set(name, fn),
    off: (name: string) => handlers.delete(name),
    connect: () => undefined,
    disconnect: () => undefined,
    timeout: () => ({
      emit: (_name: string, ack: (err: Error | null, result: Result<LiveSnapshot>) => void) => {
        resyncs += 1;
        ack(null, ok(answer()));
      },
    }),
  };
  return {
    socket: socket as unknown as LiveSocket,
    fire: (name: string, ...args: unknown[]) => handlers.get(name)?.(...args),
    resyncs: () => resyncs,
  };
}

describe('live store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('applies a snapshot, then ticks in sequence order', () => {
    const store = useLiveStore();
    const fake = fakeSocket(() => snapshot(0, 0));
    store.bind(fake.socket);
    fake.fire('connect');
    fake.fire('live:snapshot', snapshot(5, 10));
    fake.fire('live:tick', tick(6, 11, [item('a', 1)]));
    store.flush();
    expect(store.connection).toBe('connected');
    expect(store.seq).toBe(6);
    expect(store.kpi?.checkinsToday).toBe(11);
    expect(store.feed.map((f) => f.id)).toEqual(['a']);
    expect(fake.resyncs()).toBe(0);
  });

  it('asks for a resync on a gap and ends in the server state', () => {
    const store = useLiveStore();
    const fake = fakeSocket(() => snapshot(9, 42));
    store.bind(fake.socket);
    fake.fire('live:snapshot', snapshot(5, 10));
    fake.fire('live:tick', tick(8, 30));
    store.flush();
    expect(fake.resyncs()).toBe(1);
    expect(store.seq).toBe(9);
    expect(store.kpi?.checkinsToday).toBe(42);
  });

  it('ignores a duplicate or old tick and marks a disconnect', () => {
    const store = useLiveStore();
    const fake = fakeSocket(() => snapshot(0, 0));
    store.bind(fake.socket);
    fake.fire('live:snapshot', snapshot(5, 10));
    fake.fire('live:tick', tick(5, 99));
    store.flush();
    expect(store.kpi?.checkinsToday).toBe(10);
    fake.fire('disconnect', 'transport close');
    expect(store.connection).toBe('disconnected');
    expect(store.seq).toBeNull();
  });
});

/** Animation frames by hand: Node has none, and the store must wait for one to show what it applied. */
function manualFrames() {
  let queue: FrameRequestCallback[] = [];
  vi.stubGlobal('requestAnimationFrame', (fn: FrameRequestCallback) => queue.push(fn));
  vi.stubGlobal('cancelAnimationFrame', (id: number) => {
    queue = queue.map((fn, i) => (i === id - 1 ? () => undefined : fn));
  });
  return {
    requested: () => queue.length,
    run: () => {
      const due = queue;
      queue = [];
      for (const fn of due) fn(0);
    },
  };
}

describe('live store, one render per display frame', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => vi.unstubAllGlobals());

  it('shows N frames that arrive within one display frame as one state: the last figures, every line', () => {
    const frames = manualFrames();
    const store = useLiveStore();
    const fake = fakeSocket(() => snapshot(0, 0));
    store.bind(fake.socket);
    fake.fire('live:snapshot', snapshot(5, 10));
    frames.run();
    expect(store.seq).toBe(5);
    const shown: (number | undefined)[] = [];
    watch(
      () => store.kpi,
      (k) => shown.push(k?.checkinsToday),
      { flush: 'sync' },
    );
    for (let n = 6; n <= 15; n += 1) fake.fire('live:tick', tick(n, 10 + n, [item(`f${n}`, n)]));
    // Applied in order, not shown yet: one frame asked for, however many ticks.
    expect(store.seq).toBe(5);
    expect(frames.requested()).toBe(1);
    frames.run();
    expect(shown).toEqual([25]);
    expect(store.seq).toBe(15);
    expect(store.feed.map((f) => f.id)).toEqual(Array.from({ length: 10 }, (_, i) => `f${15 - i}`));
    expect(store.arrivals.map((f) => f.id).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `f${i + 6}`).sort());
    expect(fake.resyncs()).toBe(0);
    // Nothing new: no frame asked for, nothing shown again.
    frames.run();
    expect(shown).toEqual([25]);
  });

  it('checks the sequence on every frame, not on what is shown: a gap inside one display frame resyncs once', () => {
    const frames = manualFrames();
    const store = useLiveStore();
    const fake = fakeSocket(() => snapshot(9, 42));
    store.bind(fake.socket);
    fake.fire('live:snapshot', snapshot(5, 10));
    fake.fire('live:tick', tick(6, 11));
    fake.fire('live:tick', tick(6, 99)); // a duplicate, before anything was shown
    fake.fire('live:tick', tick(8, 30)); // 7 lost: resync, answered with 9
    fake.fire('live:tick', tick(10, 43));
    expect(fake.resyncs()).toBe(1);
    expect(store.seq).toBeNull();
    frames.run();
    expect(store.seq).toBe(10);
    expect(store.kpi?.checkinsToday).toBe(43);
    expect(store.snapshots).toBe(2);
    expect(fake.resyncs()).toBe(1);
  });

  it('drops frames not yet shown when a replay starts, and shows applied frames before a disconnect', () => {
    const frames = manualFrames();
    const store = useLiveStore();
    const fake = fakeSocket(() => snapshot(0, 0));
    store.bind(fake.socket);
    fake.fire('live:snapshot', snapshot(5, 10));
    fake.fire('live:tick', tick(6, 11));
    fake.fire('disconnect', 'transport close');
    expect(store.kpi?.checkinsToday).toBe(11);
    expect(store.seq).toBeNull();
    fake.fire('live:snapshot', snapshot(20, 50));
    store.setReplaying(true);
    store.showReplay(snapshot(0, 7));
    frames.run();
    expect(store.kpi?.checkinsToday).toBe(7);
  });
});

describe('computeScale', () => {
  it('fits 1920×1080 exactly into 4K and letterboxes a 4:3 screen on whole pixels', () => {
    expect(computeScale(3840, 2160, 1920, 1080, 'fit')).toMatchObject({ scale: 2, left: 0, top: 0 });
    const boxed = computeScale(1280, 1024, 1920, 1080, 'fit');
    expect(boxed.scale).toBeCloseTo(1280 / 1920, 6);
    expect(Number.isInteger(boxed.top)).toBe(true);
    expect(boxed.top).toBeGreaterThan(0);
  });
  it('fills a spliced 5760×1080 wall in full mode by laying the surface out wider, never stretching it', () => {
    // It stretched: scaleX 3, scaleY 1, circles drawn three times wider than tall.
    expect(computeScale(5760, 1080, 1920, 1080, 'full')).toEqual({
      scale: 1,
      width: 5760,
      height: 1080,
      left: 0,
      top: 0,
    });
    expect(computeScale(3840, 2160, 1920, 1080, 'full')).toMatchObject({ scale: 2, width: 1920, height: 1080 });
  });
  it('shows a 5760×1080 design (three dashboards side by side) whole on a 5760×1080 wall, and letterboxed on 1920×1080', () => {
    expect(computeScale(5760, 1080, 5760, 1080, 'fit')).toEqual({
      scale: 1,
      width: 5760,
      height: 1080,
      left: 0,
      top: 0,
    });
    expect(computeScale(1920, 1080, 5760, 1080, 'fit')).toMatchObject({ scale: 1 / 3, top: 360 });
  });
});

describe('trendScale', () => {
  it('picks whole round steps whose multiple covers the data, with no stray top label', () => {
    expect(trendScale(7)).toEqual({ max: 8, interval: 2 });
    expect(trendScale(0)).toEqual({ max: 1, interval: 1 });
    expect(trendScale(4)).toEqual({ max: 4, interval: 1 });
    expect(trendScale(37)).toEqual({ max: 40, interval: 10 });
    expect(trendScale(240)).toEqual({ max: 300, interval: 100 });
  });
});
