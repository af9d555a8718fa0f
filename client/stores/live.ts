/**
 * Live state of the wall, fed by the `/live` socket: KPI figures, the check-in trend and the feed.
 * Frames are applied strictly in `seq` order; a gap (a frame lost across a network hiccup) asks
 * the server for a fresh snapshot instead of showing figures that silently missed an update.
 *
 * Frames are applied at once to a plain (unreactive) copy, where the sequence is checked, and the
 * copy is shown — written to the reactive state the screen renders from — at most once per display
 * frame (stores/frame.ts): several frames arriving within one frame cost one render, with the last
 * figures and every feed line of them.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { KpiSnapshot } from '../../shared/kpi';
import { TREND_MINUTES, type FeedItem, type LiveSnapshot, type LiveTick, type TrendPoint } from '../../shared/live';
import { mergeFeed, mergeTrend } from '../../shared/live-merge';
import { isAuthRefusal } from '../auth';
import { liveSocket, type LiveSocket } from '../socket';
import { frameCoalescer } from './frame';

/** `unauthorized`: the server refused this screen (no token, or a revoked one) — it is not a network fault. */
export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'unauthorized';

const RESYNC_TIMEOUT_MS = 5000;
/**
 * socket.io does not retry a refused handshake by itself. A refused wall asks again now and then,
 * so one re-authorised on the server (or switched to a public display) comes back without a visit.
 */
const REFUSED_RETRY_MS = 60_000;
/** Ticks held while a resync is in flight; older ones are covered by the snapshot anyway. */
const PENDING_CAP = 240;
/** Feed lines kept: more than the board shows, few enough that weeks of uptime cost nothing. */
export const FEED_CAP = 60;

export const useLiveStore = defineStore('live', () => {
  const connection = ref<ConnectionState>('connecting');
  const kpi = shallowRef<KpiSnapshot | null>(null);
  const trend = shallowRef<TrendPoint[]>([]);
  const feed = shallowRef<FeedItem[]>([]);
  /** Items that arrived with the latest tick (the map pulses their nodes). */
  const arrivals = shallowRef<FeedItem[]>([]);
  const seq = ref<number | null>(null);
  /** Client clock when the last frame was applied: the tiles' freshness. */
  const lastUpdateAt = ref<number | null>(null);
  const resyncCount = ref(0);
  /** Snapshots applied: each one (connect, scope switch, resync) replaces what the screen shows. */
  const snapshots = ref(0);
  /** Server clock minus ours, so the trend's time window follows the server even on a skewed PC. */
  const serverOffsetMs = ref(0);

  /** 回放 (stores/replay.ts): the wall shows a past moment; live frames are not applied meanwhile. */
  const replaying = ref(false);

  let socket: LiveSocket | null = null;
  let pending: LiveTick[] = [];
  let resyncing = false;

  /**
   * The frames applied so far, not yet shown: the sequence is checked against this, never against
   * what the screen shows. `arrivals` gathers every feed line since the last showing; `asOf` is
   * null when nothing new is to be shown.
   */
  const applied = {
    seq: null as number | null,
    kpi: null as KpiSnapshot | null,
    trend: [] as TrendPoint[],
    feed: [] as FeedItem[],
    arrivals: [] as FeedItem[],
    snapshots: 0,
    asOf: null as number | null,
  };
  const frame = frameCoalescer(show);

  /** Writes what was applied since the last frame to the state the screen renders from, once. */
  function show(): void {
    if (replaying.value || applied.asOf === null) return;
    seq.value = applied.seq;
    kpi.value = applied.kpi;
    if (trend.value !== applied.trend) trend.value = applied.trend;
    if (feed.value !== applied.feed) feed.value = applied.feed;
    if (applied.arrivals.length > 0) {
      arrivals.value = applied.arrivals.slice(-FEED_CAP);
      applied.arrivals = [];
    }
    if (snapshots.value !== applied.snapshots) snapshots.value = applied.snapshots;
    touch(applied.asOf);
    applied.asOf = null;
  }

  function applySnapshot(snapshot: LiveSnapshot): void {
    if (replaying.value) return;
    applied.seq = snapshot.seq;
    applied.kpi = snapshot.kpi;
    applied.trend = mergeTrend([], snapshot.trend, TREND_MINUTES);
    applied.feed = mergeFeed([], snapshot.feed, FEED_CAP);
    // A snapshot replaces what the screen shows: the lines before it do not pulse.
    applied.arrivals = [];
    applied.snapshots += 1;
    applied.asOf = snapshot.kpi.asOf;
    frame.request();
    const later = pending.filter((t) => t.seq > snapshot.seq).sort((a, b) => a.seq - b.seq);
    pending = [];
    for (const tick of later) receiveTick(tick);
  }

  function applyTick(tick: LiveTick): void {
    applied.seq = tick.seq;
    applied.kpi = tick.kpi;
    if (tick.trend.length > 0) applied.trend = mergeTrend(applied.trend, tick.trend, TREND_MINUTES);
    if (tick.feed.length > 0) {
      applied.feed = mergeFeed(applied.feed, tick.feed, FEED_CAP);
      applied.arrivals.push(...tick.feed);
    }
    applied.asOf = tick.kpi.asOf;
    frame.request();
  }

  function touch(asOf: number): void {
    const now = Date.now();
    lastUpdateAt.value = now;
    serverOffsetMs.value = asOf - now;
  }

  function hold(tick: LiveTick): void {
    pending.push(tick);
    if (pending.length > PENDING_CAP) pending = pending.slice(-PENDING_CAP);
  }

  function receiveTick(tick: LiveTick): void {
    if (replaying.value) return;
    // Before the first snapshot there is nothing to apply a delta to.
    if (applied.seq === null) return hold(tick);
    // Already covered (a duplicate, or older than a snapshot that overtook it).
    if (tick.seq <= applied.seq) return;
    if (!resyncing && tick.seq === applied.seq + 1) return applyTick(tick);
    hold(tick);
    if (!resyncing) resync();
  }

  function resync(): void {
    if (!socket || resyncing) return;
    resyncing = true;
    resyncCount.value += 1;
    // socket.io types `err` as Error, but it is null when the ack arrived in time.
    socket.timeout(RESYNC_TIMEOUT_MS).emit('live:resync', (err: Error | null, result) => {
      resyncing = false;
      // On a timeout or refusal the held ticks stay; the next tick retries the resync.
      if (err) return console.warn('live:resync timed out', err);
      if (!result.ok) return console.warn('live:resync refused', result.error.code, result.error.message);
      applySnapshot(result.data);
    });
  }

  /**
   * Enters or leaves replay. Entering forgets the live sequence; leaving expects the fresh snapshot
   * of a reconnect (stores/replay.ts reconnects), never the frames of before.
   */
  function setReplaying(on: boolean): void {
    replaying.value = on;
    resetSequence();
    if (!on) return;
    // Nothing live stays on screen under the replay badge: the figures wait for the first read.
    kpi.value = null;
    trend.value = [];
    feed.value = [];
    arrivals.value = [];
    lastUpdateAt.value = null;
  }

  /** A replayed moment, in place of the live figures; lines newer than the last moment pulse on the map. */
  function showReplay(snapshot: LiveSnapshot): void {
    // Live frames not shown yet must not land on top of the replayed moment.
    frame.cancel();
    const seen = new Set(feed.value.map((f) => f.id));
    arrivals.value = snapshot.feed.filter((f) => !seen.has(f.id));
    kpi.value = snapshot.kpi;
    trend.value = mergeTrend([], snapshot.trend, TREND_MINUTES);
    feed.value = mergeFeed([], snapshot.feed, FEED_CAP);
    touch(snapshot.kpi.asOf);
  }

  /**
   * Forget the sequence: the server sends a new snapshot on every (re)connect. What was applied
   * still shows (the connection banner says it is not live); in replay it never shows.
   */
  function resetSequence(): void {
    if (replaying.value) frame.cancel();
    else frame.flush();
    applied.seq = null;
    applied.arrivals = [];
    applied.asOf = null;
    seq.value = null;
    pending = [];
    resyncing = false;
  }

  /** Shows at once what was applied (tests, and whoever must read the state right after a frame). */
  function flush(): void {
    frame.flush();
  }

  /** Binds the socket's events to this store and connects; returns the unbinding function. */
  function bind(target: LiveSocket = liveSocket): () => void {
    socket = target;
    const onConnect = () => (connection.value = 'connected');
    const onDisconnect = (reason: string) => {
      // The client's own disconnect is a scope switch (setLiveScope) reconnecting at once: the
      // screen is changing what it watches, not losing the server, so no "connection lost" banner.
      connection.value = reason === 'io client disconnect' ? 'connecting' : 'disconnected';
      resetSequence();
      // A server-side disconnect is not retried by socket.io itself; a wall must always come back.
      if (reason === 'io server disconnect') target.connect();
    };
    let retry: ReturnType<typeof setTimeout> | null = null;
    const onConnectError = (err: Error) => {
      if (!isAuthRefusal(err)) {
        connection.value = 'disconnected';
        return;
      }
      connection.value = 'unauthorized';
      if (retry) clearTimeout(retry);
      retry = setTimeout(() => target.connect(), REFUSED_RETRY_MS);
    };
    target.on('connect', onConnect);
    target.on('disconnect', onDisconnect);
    target.on('connect_error', onConnectError);
    target.on('live:snapshot', applySnapshot);
    target.on('live:tick', receiveTick);
    target.connect();
    return () => {
      if (retry) clearTimeout(retry);
      target.off('connect', onConnect);
      target.off('disconnect', onDisconnect);
      target.off('connect_error', onConnectError);
      target.off('live:snapshot', applySnapshot);
      target.off('live:tick', receiveTick);
      target.disconnect();
      frame.cancel();
      socket = null;
    };
  }

  return {
    connection,
    kpi,
    trend,
    feed,
    arrivals,
    seq,
    lastUpdateAt,
    serverOffsetMs,
    resyncCount,
    snapshots,
    replaying,
    applySnapshot,
    receiveTick,
    flush,
    setReplaying,
    showReplay,
    bind,
  };
});
