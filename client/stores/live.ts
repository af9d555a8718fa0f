/**
 * Live state of the wall, fed by the `/live` socket: KPI figures, the check-in trend and the feed.
 * Frames are applied strictly in `seq` order; a gap (a frame lost across a network hiccup) asks
 * the server for a fresh snapshot instead of showing figures that silently missed an update.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { KpiSnapshot } from '../../shared/kpi';
import { TREND_MINUTES, type FeedItem, type LiveSnapshot, type LiveTick, type TrendPoint } from '../../shared/live';
import { mergeFeed, mergeTrend } from '../../shared/live-merge';
import { isAuthRefusal } from '../auth';
import { liveSocket, type LiveSocket } from '../socket';

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

  function applySnapshot(snapshot: LiveSnapshot): void {
    if (replaying.value) return;
    seq.value = snapshot.seq;
    kpi.value = snapshot.kpi;
    trend.value = mergeTrend([], snapshot.trend, TREND_MINUTES);
    feed.value = mergeFeed([], snapshot.feed, FEED_CAP);
    snapshots.value += 1;
    touch(snapshot.kpi.asOf);
    const later = pending.filter((t) => t.seq > snapshot.seq).sort((a, b) => a.seq - b.seq);
    pending = [];
    for (const tick of later) receiveTick(tick);
  }

  function applyTick(tick: LiveTick): void {
    seq.value = tick.seq;
    kpi.value = tick.kpi;
    if (tick.trend.length > 0) trend.value = mergeTrend(trend.value, tick.trend, TREND_MINUTES);
    if (tick.feed.length > 0) {
      feed.value = mergeFeed(feed.value, tick.feed, FEED_CAP);
      arrivals.value = tick.feed;
    }
    touch(tick.kpi.asOf);
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
    if (seq.value === null) return hold(tick);
    // Already covered (a duplicate, or older than a snapshot that overtook it).
    if (tick.seq <= seq.value) return;
    if (!resyncing && tick.seq === seq.value + 1) return applyTick(tick);
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
  }

  /** A replayed moment, in place of the live figures; lines newer than the last moment pulse on the map. */
  function showReplay(snapshot: LiveSnapshot): void {
    const seen = new Set(feed.value.map((f) => f.id));
    arrivals.value = snapshot.feed.filter((f) => !seen.has(f.id));
    kpi.value = snapshot.kpi;
    trend.value = mergeTrend([], snapshot.trend, TREND_MINUTES);
    feed.value = mergeFeed([], snapshot.feed, FEED_CAP);
    touch(snapshot.kpi.asOf);
  }

  /** Forget the sequence: the server sends a new snapshot on every (re)connect. */
  function resetSequence(): void {
    seq.value = null;
    pending = [];
    resyncing = false;
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
    setReplaying,
    showReplay,
    bind,
  };
});
