/**
 * The live hub: evaluates the wall's named queries once per change of their source tables (however
 * many screens watch), lays the raw deltas from ingest on top, and sends one frame per tick to every
 * screen in the `/live` namespace.
 */
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { PracticeEvent } from '../../shared/events.js';
import { emptyKpi, type KpiSnapshot } from '../../shared/kpi.js';
import {
  FEED_LENGTH,
  TREND_MINUTES,
  type FeedItem,
  type LiveSnapshot,
  type LiveTick,
  type TrendPoint,
} from '../../shared/live.js';
import { toRow } from '../store/events-repository.js';
import { queryCheckinTrend, queryKpi, queryRecentEvents } from '../store/kpi-repository.js';
import type { Transport } from '../store/transport.js';
import { FEED_TYPES, feedItemFromRow } from './feed.js';
import { applyToKpi, applyToTrend, changedPoints, slideTrend, summarize, type Delta } from './overlay.js';

export interface HubOptions {
  tickMs: number;
  nodeNames: ReadonlyMap<string, string>;
  log: Logger;
  /** Sends a frame to every connected screen. */
  broadcast: (tick: LiveTick) => void;
  /** Bounds ClickHouse re-evaluation however fast the tables change. */
  minEvaluateIntervalMs?: number;
}

export class LiveHub {
  private seq = 0;
  private base: KpiSnapshot = emptyKpi(Date.now());
  private baseTrend: TrendPoint[] = [];
  private overlay: { position: number; delta: Delta }[] = [];
  private feed: FeedItem[] = [];
  private newFeed: FeedItem[] = [];
  private flushedPosition = 0;
  private dirtyStore = true;
  private lastEvaluate = 0;
  private evaluating: Promise<void> | null = null;
  private sent: { kpi: KpiSnapshot; trend: TrendPoint[] } | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** ClickHouse evaluations so far (the subscription-cost benchmark reads it). */
  evaluations = 0;
  frames = 0;
  /** Accept-to-push delay of the oldest event in the last frame. */
  lastPushDelayMs = 0;
  private oldestUnsent: number | null = null;

  constructor(
    private readonly store: Transport,
    private readonly options: HubOptions,
  ) {}

  async start(): Promise<void> {
    const rows = await queryRecentEvents(this.store, FEED_LENGTH);
    this.feed = rows.map((r) => feedItemFromRow(r, this.nodeName(r.node_id)));
    await this.evaluate();
    this.sent = this.current(Date.now());
    this.timer = setInterval(() => void this.tick(), this.options.tickMs);
  }

  stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return this.evaluating ?? Promise.resolve();
  }

  /** Raw deltas straight from ingest, on screen at the next tick. */
  onAccepted(events: readonly PracticeEvent[], position: number): void {
    this.overlay.push({ position, delta: summarize(events, Date.now()) });
    this.oldestUnsent ??= performance.now();
    // Only the newest FEED_LENGTH lines can show: walk back from the end and stop there.
    const fresh: FeedItem[] = [];
    for (let i = events.length - 1; i >= 0 && fresh.length < FEED_LENGTH; i -= 1) {
      const e = events[i];
      if (e && FEED_TYPES.has(e.type)) fresh.push(feedItemFromRow(toRow(e, ''), this.nodeName(e.nodeId)));
    }
    this.newFeed = [...fresh, ...this.newFeed].slice(0, FEED_LENGTH);
  }

  /** The source tables changed: re-evaluate at the next opportunity. */
  onFlushed(position: number): void {
    this.flushedPosition = Math.max(this.flushedPosition, position);
    this.dirtyStore = true;
  }

  snapshot(): LiveSnapshot {
    const now = Date.now();
    const { kpi, trend } = this.current(now);
    return { seq: this.seq, kpi, trend, feed: [...this.newFeed, ...this.feed].slice(0, FEED_LENGTH) };
  }

  kpi(): KpiSnapshot {
    return this.current(Date.now()).kpi;
  }

  private current(now: number): { kpi: KpiSnapshot; trend: TrendPoint[] } {
    const pending = this.overlay.map((o) => o.delta);
    return {
      kpi: applyToKpi(this.base, pending, now),
      trend: applyToTrend(slideTrend(this.baseTrend, now, TREND_MINUTES), pending),
    };
  }

  private async evaluate(): Promise<void> {
    const upTo = this.flushedPosition;
    this.dirtyStore = false;
    this.lastEvaluate = Date.now();
    const now = Date.now();
    const [kpi, trend] = await Promise.all([
      queryKpi(this.store, now),
      queryCheckinTrend(this.store, now, TREND_MINUTES),
    ]);
    this.evaluations += 1;
    this.base = kpi;
    this.baseTrend = trend;
    this.overlay = this.overlay.filter((o) => o.position > upTo);
  }

  private async tick(): Promise<void> {
    const minInterval = this.options.minEvaluateIntervalMs ?? 1_000;
    if (
      !this.evaluating &&
      (this.dirtyStore || Date.now() - this.lastEvaluate > 30_000) &&
      Date.now() - this.lastEvaluate >= minInterval
    ) {
      this.evaluating = this.evaluate()
        .catch((error: unknown) => {
          this.dirtyStore = true;
          this.options.log.warn({ err: error }, 'live evaluation failed');
        })
        .finally(() => {
          this.evaluating = null;
        });
    }
    const now = Date.now();
    const next = this.current(now);
    const prev = this.sent;
    const trend = prev ? changedPoints(prev.trend, next.trend) : next.trend;
    const kpiChanged = !prev || figuresDiffer(prev.kpi, next.kpi);
    if (!kpiChanged && trend.length === 0 && this.newFeed.length === 0) return;
    this.seq += 1;
    const feed = this.newFeed;
    this.feed = [...feed, ...this.feed].slice(0, FEED_LENGTH);
    this.newFeed = [];
    this.sent = next;
    this.options.broadcast({ seq: this.seq, kpi: next.kpi, trend, feed });
    this.frames += 1;
    if (this.oldestUnsent !== null) this.lastPushDelayMs = performance.now() - this.oldestUnsent;
    this.oldestUnsent = null;
  }

  private nodeName(id: string): string {
    return this.options.nodeNames.get(id) ?? id;
  }
}

function figuresDiffer(a: KpiSnapshot, b: KpiSnapshot): boolean {
  return (Object.keys(a) as (keyof KpiSnapshot)[]).some((k) => k !== 'asOf' && a[k] !== b[k]);
}
