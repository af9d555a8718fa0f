/**
 * A wall screen's live state over a real socket.io-client socket, for fault tests and benchmarks
 * that run under the server's tsconfig (the client's own store, client/stores/live.ts, compiles
 * only under the client's bundler settings; tests/client/*.int.test.ts drive that one).
 *
 * It keeps the protocol's rules as the client store does: a snapshot replaces everything; ticks
 * apply strictly in `seq` order; a gap asks for `live:resync`; a disconnect forgets the sequence
 * (the server sends a snapshot on every connect). Trend minutes are replaced by the tick's count;
 * the feed is newest first without repeats, cut to FEED_LENGTH — as much as a fresh wall's
 * snapshot holds, so a long-running wall and a fresh one can be compared line by line.
 */
import { io, type Socket } from 'socket.io-client';
import type { KpiSnapshot } from '../../shared/kpi.js';
import { mergeFeed, mergeTrend } from '../../shared/live-merge.js';
import {
  FEED_LENGTH,
  LIVE_NAMESPACE,
  TREND_MINUTES,
  type FeedItem,
  type LiveClientToServer,
  type LiveServerToClient,
  type LiveSnapshot,
  type LiveTick,
  type TrendPoint,
} from '../../shared/live.js';

/** What a wall shows, without the time its figures were taken at. */
export interface WallView {
  kpi: Omit<KpiSnapshot, 'asOf'> | null;
  trend: TrendPoint[];
  feed: string[];
}

export class LiveWall {
  readonly socket: Socket<LiveServerToClient, LiveClientToServer>;
  kpi: KpiSnapshot | null = null;
  trend: TrendPoint[] = [];
  feed: FeedItem[] = [];
  seq: number | null = null;
  connected = false;
  /** Counters for reports and assertions. */
  readonly counts = { snapshots: 0, ticks: 0, resyncs: 0, disconnects: 0, connects: 0 };
  private pending: LiveTick[] = [];
  private resyncing = false;

  /** `url` is the server's (or a proxy's) origin; the wall token goes in the handshake. */
  constructor(url: string, token: string, scope?: string) {
    this.socket = io(`${url}${LIVE_NAMESPACE}`, {
      transports: ['websocket'],
      forceNew: true,
      auth: scope ? { token, scope } : { token },
    });
    this.socket.on('connect', () => {
      this.connected = true;
      this.counts.connects += 1;
    });
    this.socket.on('disconnect', (reason) => {
      this.connected = false;
      this.counts.disconnects += 1;
      this.seq = null;
      this.pending = [];
      this.resyncing = false;
      // A server-side disconnect is not retried by socket.io itself; a wall must always come back.
      if (reason === 'io server disconnect') this.socket.connect();
    });
    this.socket.on('live:snapshot', (s) => this.applySnapshot(s));
    this.socket.on('live:tick', (t) => this.receiveTick(t));
  }

  /**
   * The wall as its screen shows it at `at` (epoch ms): the trend chart's window is the hour before
   * `at`. A wall running for a while still holds minutes that have left that window; a fresh wall's
   * snapshot no longer does.
   */
  view(at: number): WallView {
    const kpi: WallView['kpi'] = this.kpi && withoutTime(this.kpi);
    const from = at - TREND_MINUTES * 60_000;
    // A minute without check-ins reads the same sent as 0 or left out.
    const trend = this.trend.filter((p) => p.t > from && p.checkins > 0);
    return { kpi, trend, feed: this.feed.map((f) => f.id) };
  }

  close(): void {
    this.socket.close();
  }

  private applySnapshot(s: LiveSnapshot): void {
    this.counts.snapshots += 1;
    this.seq = s.seq;
    this.kpi = s.kpi;
    this.trend = mergeTrend([], s.trend, TREND_MINUTES);
    this.feed = mergeFeed([], s.feed, FEED_LENGTH);
    const later = this.pending.filter((t) => t.seq > s.seq).sort((a, b) => a.seq - b.seq);
    this.pending = [];
    for (const t of later) this.receiveTick(t);
  }

  private receiveTick(t: LiveTick): void {
    if (this.seq === null) {
      this.pending.push(t);
      return;
    }
    if (t.seq <= this.seq) return;
    if (!this.resyncing && t.seq === this.seq + 1) {
      this.counts.ticks += 1;
      this.seq = t.seq;
      this.kpi = t.kpi;
      if (t.trend.length > 0) this.trend = mergeTrend(this.trend, t.trend, TREND_MINUTES);
      if (t.feed.length > 0) this.feed = mergeFeed(this.feed, t.feed, FEED_LENGTH);
      return;
    }
    this.pending.push(t);
    if (!this.resyncing) this.resync();
  }

  private resync(): void {
    this.resyncing = true;
    this.counts.resyncs += 1;
    this.socket.timeout(5_000).emit('live:resync', (err: Error | null, result) => {
      this.resyncing = false;
      // On a timeout the held ticks stay; the next tick asks again.
      if (!err && result.ok) this.applySnapshot(result.data);
    });
  }
}

/** KPI figures without the time they were taken at (two walls' figures compare equal). */
export function withoutTime(k: KpiSnapshot): Omit<KpiSnapshot, 'asOf'> {
  const figures: Partial<KpiSnapshot> = { ...k };
  delete figures.asOf;
  return figures as Omit<KpiSnapshot, 'asOf'>;
}
