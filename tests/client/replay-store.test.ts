import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyKpi } from '../../shared/kpi.js';
import type { LiveSnapshot, ReplayFrame, ReplayRead } from '../../shared/live.js';
import { ok, type Result } from '../../shared/result.js';
import type { LiveSocket } from '../../client/socket.js';
import { useLiveStore } from '../../client/stores/live.js';
import { useQueriesStore } from '../../client/stores/queries.js';
import { useReplayStore } from '../../client/stores/replay.js';

const SAT = Date.parse('2026-11-28T08:00:00+08:00');
const snapshot = (checkins: number, asOf = Date.now()): LiveSnapshot => ({
  seq: 1,
  kpi: { ...emptyKpi(asOf), checkinsToday: checkins },
  trend: [],
  feed: [],
});

/** A socket.io client stand-in: handlers by name, replay reads answered at once, (re)connects counted. */
function fakeSocket() {
  const handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  const reads: ReplayRead[] = [];
  const counts = { connects: 0, disconnects: 0 };
  const socket = {
    connected: true,
    on: (name: string, fn: (...args: unknown[]) => void) => handlers.set(name, [...(handlers.get(name) ?? []), fn]),
    off: (name: string) => handlers.delete(name),
    emit: () => undefined,
    connect: () => (counts.connects += 1),
    disconnect: () => (counts.disconnects += 1),
    timeout: () => ({
      emit: (_name: string, read: ReplayRead, ack: (err: Error | null, result: Result<ReplayFrame>) => void) => {
        reads.push(read);
        ack(
          null,
          ok({
            at: read.at,
            snapshot: snapshot(7, read.at),
            panels: read.panels.map((p) => ({ id: p.id, data: [read.at] })),
          }),
        );
      },
    }),
  };
  return {
    socket: socket as unknown as LiveSocket,
    fire: (name: string, ...args: unknown[]) => handlers.get(name)?.forEach((fn) => fn(...args)),
    reads,
    counts,
  };
}

describe('replay store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.useFakeTimers({ now: Date.parse('2026-12-07T06:00:00+08:00') });
  });

  it('from the kiosk URL, shows the replayed moment in the live and panel stores, ignoring live frames', () => {
    const fake = fakeSocket();
    const live = useLiveStore();
    const queries = useQueriesStore();
    live.bind(fake.socket);
    queries.bind(fake.socket);
    const release = queries.hold({ query: 'appeals.categories', params: { window: '24h' } });
    const replay = useReplayStore();
    replay.bind(fake.socket, '?replay=2026-11-28T08:00..2026-11-28T12:00&speed=60');
    expect(replay.active).toBe(true);
    expect(fake.reads[0]?.at).toBe(SAT);
    expect(fake.reads[0]?.panels.map(({ query, params }) => ({ query, params }))).toEqual([
      { query: 'appeals.categories', params: { window: '24h' } },
    ]);
    expect(live.kpi?.checkinsToday).toBe(7);
    expect(live.kpi?.asOf).toBe(SAT);

    // A live frame arriving now is not shown.
    fake.fire('live:snapshot', snapshot(999));
    fake.fire('live:tick', { ...snapshot(999), seq: 2 });
    expect(live.kpi?.checkinsToday).toBe(7);

    // Ten wall seconds at 60× are ten replayed minutes.
    vi.advanceTimersByTime(10_000);
    expect(fake.reads.at(-1)?.at).toBe(SAT + 600_000);
    expect(replay.shown).toBe(SAT + 600_000);
    const [result] = [...queries.results.values()];
    expect(result?.data).toEqual([SAT + 600_000]);
    release();
  });

  it('pauses and seeks; stopping reconnects for a fresh live snapshot, which is shown again', () => {
    const fake = fakeSocket();
    const live = useLiveStore();
    live.bind(fake.socket);
    const replay = useReplayStore();
    replay.bind(fake.socket, '');
    expect(replay.active).toBe(false);
    expect(replay.command({ op: 'pause' }).ok).toBe(false);
    expect(replay.error).toBe('REPLAY_NOT_STARTED');
    replay.command({ op: 'start', from: SAT, to: SAT + 3_600_000, speed: 120 });
    replay.command({ op: 'pause' });
    vi.advanceTimersByTime(5_000);
    expect(replay.shown).toBe(SAT);
    replay.command({ op: 'seek', at: SAT + 1_800_000 });
    expect(replay.shown).toBe(SAT + 1_800_000);

    const connects = fake.counts.connects;
    replay.command({ op: 'stop' });
    expect(replay.active).toBe(false);
    expect(fake.counts.disconnects).toBe(1);
    expect(fake.counts.connects).toBe(connects + 1);
    const reads = fake.reads.length;
    vi.advanceTimersByTime(5_000);
    expect(fake.reads.length).toBe(reads);
    fake.fire('live:snapshot', snapshot(42));
    // Shown on the next display frame (stores/frame.ts).
    live.flush();
    expect(live.kpi?.checkinsToday).toBe(42);
  });

  it('follows the meeting tablet’s replay state, and live on null', () => {
    const fake = fakeSocket();
    const live = useLiveStore();
    live.bind(fake.socket);
    const replay = useReplayStore();
    replay.bind(fake.socket, '');
    const state = { from: SAT, to: SAT + 3_600_000, speed: 60, paused: false, at: SAT + 600_000 };
    replay.follow(state);
    expect(replay.shown).toBe(SAT + 600_000);
    vi.advanceTimersByTime(2_000);
    expect(replay.shown).toBe(SAT + 720_000);
    // The same state again (a reconnect repeats it) moves nothing but the wall's own time base.
    replay.follow({ ...state, paused: true, at: SAT + 720_000 });
    vi.advanceTimersByTime(2_000);
    expect(replay.shown).toBe(SAT + 720_000);
    replay.follow(null);
    expect(replay.active).toBe(false);
    expect(fake.counts.disconnects).toBe(1);
  });
  it('entering replay, shows nothing live while the first read is out; the moment is the replay clock’s', () => {
    const fake = fakeSocket();
    const live = useLiveStore();
    const queries = useQueriesStore();
    live.bind(fake.socket);
    queries.bind(fake.socket);
    queries.hold({ query: 'appeals.categories', params: { window: '24h' } });
    fake.fire('live:snapshot', snapshot(999));
    live.flush();
    expect(live.kpi?.checkinsToday).toBe(999);
    const replay = useReplayStore();
    expect(replay.moment).toBeNull();
    // A tablet starts the replay; the wall's first read is still out (never answered here).
    (fake.socket as unknown as { timeout: () => { emit: () => void } }).timeout = () => ({ emit: () => undefined });
    replay.bind(fake.socket, '');
    replay.follow({ from: SAT, to: SAT + 4 * 3_600_000, speed: 60, paused: false, at: SAT });
    // The live figures are gone (the tiles wait), and every time label reads the
    // replayed moment, not the live clock (2026-12-07 06:00 here).
    expect(live.kpi).toBeNull();
    expect(live.trend).toEqual([]);
    expect(live.feed).toEqual([]);
    expect(live.lastUpdateAt).toBeNull();
    expect(replay.moment).toBe(SAT);
  });
});
