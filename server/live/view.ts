/**
 * One scope's live state (the district, a town, a station or a point): the figures of its named queries as last
 * evaluated in ClickHouse, the raw deltas accepted since, and the frames its screens have been sent.
 * Evaluated once per change of the source tables, at a bounded rate, however many screens watch.
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
import { mergeFeed } from '../../shared/live-merge.js';
import { queryCheckinTrend, queryKpi, queryRecentEvents, type TodayCounts } from '../store/kpi-repository.js';
import type { ScopeNodes } from '../store/scope-sql.js';
import type { Transport } from '../store/transport.js';
import { feedItemFromRow, type FeedNote } from './feed.js';
import type { Covers } from './lease.js';
import { applyToKpi, applyToTrend, changedPoints, slideTrend, summarize, type Delta } from './overlay.js';

/** A scope's figures as evaluated in ClickHouse, and the log positions they include. */
export interface ViewEvaluation {
  covers: Covers;
  kpi: KpiSnapshot;
  trend: TrendPoint[];
}

export interface ViewOptions {
  nodes: ScopeNodes;
  nodeName: (id: string) => string;
  note: FeedNote;
  log: Logger;
  minEvaluateIntervalMs: number;
  send: (tick: LiveTick) => void;
  /** The KPI's two distinct counts from the server's live figures (live/figures.ts). */
  todayCounts?: TodayCounts;
  /**
   * Several nodes: the scope's evaluations are shared. `claim` says whether this node evaluates now
   * (live/lease.ts); its result goes to the peers by `publish`, theirs come in by `adopt`.
   */
  shared?: { claim: () => Promise<boolean>; publish: (result: ViewEvaluation) => void };
}

/** Figures are re-read at least this often even when nothing changed (the day turns, say). */
const STALE_AFTER_MS = 30_000;

export class ScopeView {
  private seq = 0;
  private base: KpiSnapshot = emptyKpi(Date.now());
  private baseTrend: TrendPoint[] = [];
  /** Pending deltas by the node (its run) that accepted them and its log position. */
  private overlay: { origin: string; position: number; delta: Delta }[] = [];
  private feed: FeedItem[] = [];
  private newFeed: FeedItem[] = [];
  /** Log position in ClickHouse per origin (this node's and, with several nodes, its peers'). */
  private readonly flushedAt = new Map<string, number>();
  private dirty = true;
  private lastEvaluate = 0;
  private evaluating: Promise<void> | null = null;
  private sent: { kpi: KpiSnapshot; trend: TrendPoint[] } | null = null;
  evaluations = 0;

  constructor(
    private readonly store: Transport,
    private readonly options: ViewOptions,
  ) {}

  async start(): Promise<void> {
    const rows = await queryRecentEvents(this.store, FEED_LENGTH, this.options.nodes);
    this.feed = rows.map((r) => feedItemFromRow(r, this.options.nodeName(r.node_id), this.options.note));
    await this.evaluate();
    this.sent = this.current(Date.now());
  }

  settled(): Promise<void> {
    return this.evaluating ?? Promise.resolve();
  }

  /** Raw deltas of this scope and their feed lines, straight from ingest. */
  accept(events: readonly PracticeEvent[], lines: readonly FeedItem[], position: number, origin: string): void {
    this.overlay.push({ origin, position, delta: summarize(events, Date.now()) });
    if (lines.length > 0) this.newFeed = mergeFeed(this.newFeed, lines, FEED_LENGTH);
  }

  /** Feed lines that are no event (a sign-up): shown at the next tick, nothing counted. */
  announce(lines: readonly FeedItem[]): void {
    this.newFeed = mergeFeed(this.newFeed, lines, FEED_LENGTH);
  }

  flushed(position: number, origin: string): void {
    this.flushedAt.set(origin, Math.max(this.flushedAt.get(origin) ?? 0, position));
    this.dirty = true;
  }

  snapshot(): LiveSnapshot {
    const { kpi, trend } = this.current(Date.now());
    return { seq: this.seq, kpi, trend, feed: mergeFeed(this.feed, this.newFeed, FEED_LENGTH) };
  }

  kpi(): KpiSnapshot {
    return this.current(Date.now()).kpi;
  }

  /** Starts a re-evaluation when due, then sends a frame if anything changed; true when it sent. */
  tick(): boolean {
    const since = Date.now() - this.lastEvaluate;
    if (!this.evaluating && (this.dirty || since > STALE_AFTER_MS) && since >= this.options.minEvaluateIntervalMs) {
      const { shared } = this.options;
      this.evaluating = (shared ? this.evaluateShared(shared) : this.evaluate().then(() => undefined))
        .catch((error: unknown) => {
          this.dirty = true;
          this.options.log.warn({ err: error }, 'live evaluation failed');
        })
        .finally(() => {
          this.evaluating = null;
        });
    }
    const next = this.current(Date.now());
    const prev = this.sent;
    const trend = prev ? changedPoints(prev.trend, next.trend) : next.trend;
    if (prev && !figuresDiffer(prev.kpi, next.kpi) && trend.length === 0 && this.newFeed.length === 0) return false;
    this.seq += 1;
    const feed = this.newFeed;
    this.feed = mergeFeed(this.feed, feed, FEED_LENGTH);
    this.newFeed = [];
    this.sent = next;
    this.options.send({ seq: this.seq, kpi: next.kpi, trend, feed });
    return true;
  }

  private current(now: number): { kpi: KpiSnapshot; trend: TrendPoint[] } {
    const pending = this.overlay.map((o) => o.delta);
    return {
      kpi: applyToKpi(this.base, pending, now),
      trend: applyToTrend(slideTrend(this.baseTrend, now, TREND_MINUTES), pending),
    };
  }

  /** A peer's evaluation: its figures, and the pending deltas they include leave the overlay. */
  adopt(result: ViewEvaluation): void {
    this.base = result.kpi;
    this.baseTrend = result.trend;
    this.lastEvaluate = Date.now();
    this.overlay = this.overlay.filter((o) => o.position > (result.covers[o.origin] ?? 0));
    // Still dirty when this node has heard of a flush the peer had not when it evaluated.
    this.dirty = [...this.flushedAt].some(([origin, at]) => at > (result.covers[origin] ?? 0));
  }

  /** A peer run gone silent: its pending deltas leave the figures (live/hub.ts `forget`). */
  forget(origin: string): void {
    this.overlay = this.overlay.filter((o) => o.origin !== origin);
    this.flushedAt.delete(origin);
    this.dirty = true;
  }

  private async evaluateShared(shared: NonNullable<ViewOptions['shared']>): Promise<void> {
    // Paced like an evaluation either way: the next claim waits the interval.
    this.lastEvaluate = Date.now();
    if (!(await shared.claim())) return;
    const covers = await this.evaluate();
    shared.publish({ covers, kpi: this.base, trend: this.baseTrend });
  }

  /** Reads the figures; answers the log positions they include. */
  private async evaluate(): Promise<Covers> {
    const upTo = new Map(this.flushedAt);
    this.dirty = false;
    this.lastEvaluate = Date.now();
    const now = Date.now();
    const [kpi, trend] = await Promise.all([
      queryKpi(this.store, now, this.options.nodes, this.options.todayCounts),
      queryCheckinTrend(this.store, now, TREND_MINUTES, this.options.nodes),
    ]);
    this.evaluations += 1;
    this.base = kpi;
    this.baseTrend = trend;
    this.overlay = this.overlay.filter((o) => o.position > (upTo.get(o.origin) ?? 0));
    return Object.fromEntries(upTo);
  }
}

function figuresDiffer(a: KpiSnapshot, b: KpiSnapshot): boolean {
  return (Object.keys(a) as (keyof KpiSnapshot)[]).some((k) => k !== 'asOf' && a[k] !== b[k]);
}
