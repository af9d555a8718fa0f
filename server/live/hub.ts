/**
 * The live hub: one ScopeView per scope that screens watch (the district always), raw deltas from
 * ingest routed to every scope on the event's path, and one frame per tick per scope, sent to the
 * screens of that scope only.
 */
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { PracticeEvent } from '../../shared/events.js';
import { FEED_LENGTH, type FeedItem, type LiveSnapshot, type LiveTick } from '../../shared/live.js';
import type { KpiSnapshot } from '../../shared/kpi.js';
import type { QueryUpdate } from '../../shared/queries/index.js';
import { toRow } from '../store/events-repository.js';
import { readLiveFigures } from '../store/live-figures-repository.js';
import type { Transport } from '../store/transport.js';
import type { QueryConfig } from '../queries/definition.js';
import { feedItemFromRow, newestFeedEvents, NO_NOTE, type FeedNote } from './feed.js';
import { LiveFigures } from './figures.js';
import type { Covers, SharedEvaluations } from './lease.js';
import { FramePacer } from './pacer.js';
import type { PeerMessage } from './peers.js';
import type { Scopes } from './scope.js';
import { QuerySubscriptions } from './subscriptions.js';
import { ScopeView, type ViewEvaluation } from './view.js';

/**
 * Frames keep coming at least this often, however many screens a node holds. A frame carries the
 * newest FEED_LENGTH (30) feed lines: at 1 s, a second's 50 check-ins (the cluster bench's) lost 20
 * lines from every screen's feed; at 500 ms it takes 60 feed lines a second to lose one.
 */
const MAX_FRAME_INTERVAL_MS = 500;
/** Sending frames takes at most a fifth of the event loop: the interval is ≥ 5× what a tick took. */
const FRAME_SHARE = 5;

export interface HubOptions {
  /** The shortest frame interval; it stretches when sending frames costs more (live/pacer.ts). */
  tickMs: number;
  scopes: Scopes;
  nodeNames: ReadonlyMap<string, string>;
  log: Logger;
  /** Sends a frame to the screens watching `scope`. */
  broadcast: (scope: string, tick: LiveTick) => void;
  /** Sends a panel query's update to the screens subscribed to it. */
  publish: (key: string, update: QueryUpdate) => void;
  /** What the panel queries read of the configuration. */
  queryConfig: QueryConfig;
  /** Bounds ClickHouse re-evaluation however fast the tables change. */
  minEvaluateIntervalMs?: number;
  /** This node's run among its peers (live/peers.ts); one node alone needs no name. */
  origin?: string;
  /** Hands what this node accepted, flushed and announced to its peers (several nodes only). */
  share?: (message: PeerMessage) => void;
  /** Several nodes: who evaluates each scope and panel query in the cluster (live/lease.ts). */
  lease?: SharedEvaluations;
}

export class LiveHub {
  private readonly views = new Map<string, { view: ScopeView; watchers: number; ready: Promise<void> }>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly pacer: FramePacer;
  private oldestUnsent: number | null = null;
  /** Evaluations of views no longer watched, so the total only grows. */
  private retiredEvaluations = 0;
  frames = 0;
  /** Accept-to-push delay of the oldest event in the last frame. */
  lastPushDelayMs = 0;
  readonly queries: QuerySubscriptions;
  /** What ClickHouse cannot count in time at scale, kept here from accepted events (live/figures.ts). */
  readonly figures = new LiveFigures();
  /** Words a feed line takes from outside its event (set by the activities plugin). */
  feedNote: FeedNote = NO_NOTE;
  readonly origin: string;
  /** The log position this node's store writes reached (its peers' heartbeat). */
  private flushedLocal = 0;
  /** Each peer's flushed position as last heard: a repeated one (a heartbeat) changes nothing. */
  private readonly peerFlushed = new Map<string, number>();

  constructor(
    private readonly store: Transport,
    private readonly options: HubOptions,
  ) {
    this.origin = options.origin ?? 'local';
    this.pacer = new FramePacer({ minMs: options.tickMs, maxMs: MAX_FRAME_INTERVAL_MS, share: FRAME_SHARE });
    const { lease, share } = options;
    this.queries = new QuerySubscriptions(store, {
      log: options.log,
      publish: options.publish,
      config: options.queryConfig,
      figures: this.figures,
      minIntervalMs: options.minEvaluateIntervalMs ?? 1_000,
      ...(lease && share
        ? {
            shared: {
              claim: (key) => lease.claim(key),
              share: (covers, update) => share({ kind: 'query', covers, update }),
            },
          }
        : {}),
    });
  }

  async start(): Promise<void> {
    // Read once; from here the figures follow accepted events (their own, peers' and the log's
    // replayed tail), each applied idempotently, so overlapping this read does no harm.
    this.figures.load(await readLiveFigures(this.store, Date.now()));
    await this.watch(this.options.scopes.root);
    this.running = true;
    this.timer = setTimeout(() => this.paced(), this.options.tickMs);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.all([...this.views.values()].map((v) => v.view.settled()));
    await this.queries.settled();
  }

  /** A screen starts watching `scope`; resolves once its view has figures. */
  async watch(scope: string): Promise<void> {
    let entry = this.views.get(scope);
    const { lease, share } = this.options;
    if (!entry) {
      const view = new ScopeView(this.store, {
        nodes: this.options.scopes.nodesIn(scope),
        nodeName: (id) => this.options.nodeNames.get(id) ?? id,
        note: (type, subject) => this.feedNote(type, subject),
        log: this.options.log,
        minEvaluateIntervalMs: this.options.minEvaluateIntervalMs ?? 1_000,
        send: (tick) => this.options.broadcast(scope, tick),
        todayCounts: (now, nodes) => this.figures.today(now, nodes),
        ...(lease && share
          ? {
              shared: {
                claim: () => lease.claim(`view:${scope}`),
                publish: (result) => share({ kind: 'view', scope, ...result }),
              },
            }
          : {}),
      });
      entry = { view, watchers: 0, ready: view.start() };
      this.views.set(scope, entry);
    }
    entry.watchers += 1;
    await entry.ready;
  }

  /** A screen stops watching; the view goes when nobody watches it (the district stays). */
  unwatch(scope: string): void {
    const entry = this.views.get(scope);
    if (!entry) return;
    entry.watchers -= 1;
    if (entry.watchers <= 0 && scope !== this.options.scopes.root) {
      this.retiredEvaluations += entry.view.evaluations;
      this.views.delete(scope);
    }
  }

  /**
   * Raw deltas straight from ingest, on screen at the next tick of every scope they belong to: this
   * node's own (shared with its peers), or a peer's (`origin`), counted the same way until that
   * peer's flush says ClickHouse has them.
   */
  onAccepted(events: readonly PracticeEvent[], position: number, origin = this.origin): void {
    if (origin === this.origin) this.options.share?.({ kind: 'accepted', position, events: [...events] });
    this.figures.accept(events);
    this.oldestUnsent ??= performance.now();
    const byScope = new Map<string, PracticeEvent[]>();
    for (const e of events) {
      for (const scope of this.options.scopes.of(e.nodeId)) {
        if (!this.views.has(scope)) continue;
        const list = byScope.get(scope);
        if (list) list.push(e);
        else byScope.set(scope, [e]);
      }
    }
    for (const [scope, scoped] of byScope)
      this.views.get(scope)?.view.accept(scoped, this.feedLines(scoped), position, origin);
    const types = new Set<string>();
    for (const e of events) types.add(e.type);
    this.queries.onAccepted(types, position, origin);
  }

  /** A feed line that is no event (a sign-up), shown by every scope watching its node (on every node). */
  announce(item: FeedItem, fromPeer = false): void {
    if (!fromPeer) this.options.share?.({ kind: 'announce', item });
    for (const scope of this.options.scopes.of(item.nodeId)) this.views.get(scope)?.view.announce([item]);
  }

  onFlushed(position: number, origin = this.origin): void {
    if (origin === this.origin) {
      this.flushedLocal = Math.max(this.flushedLocal, position);
      this.options.share?.({ kind: 'flushed', position });
    } else {
      if (position <= (this.peerFlushed.get(origin) ?? 0)) return;
      this.peerFlushed.set(origin, position);
    }
    for (const { view } of this.views.values()) view.flushed(position, origin);
    this.queries.onFlushed(position, origin);
  }

  /** Tells the peers this node is alive and how far its store writes are (a flush they missed included). */
  heartbeat(): void {
    this.options.share?.({ kind: 'flushed', position: this.flushedLocal });
  }

  /**
   * A peer run gone silent (killed, or cut off from Redis): its pending events leave the figures.
   * They are in ClickHouse already, or will be when its log is replayed; the next evaluation reads them.
   */
  forget(origin: string): void {
    this.peerFlushed.delete(origin);
    for (const { view } of this.views.values()) view.forget(origin);
    this.queries.forget(origin);
  }

  /** A peer's evaluation of a scope this node shows too (several nodes). */
  adoptView(scope: string, result: ViewEvaluation): void {
    this.views.get(scope)?.view.adopt(result);
  }

  /** A peer's evaluation of a panel query this node's screens may watch (several nodes). */
  adoptQuery(covers: Covers, update: QueryUpdate): void {
    this.queries.adopt(covers, update);
  }

  snapshot(scope = this.options.scopes.root): LiveSnapshot | null {
    return this.views.get(scope)?.view.snapshot() ?? null;
  }

  kpi(scope = this.options.scopes.root): KpiSnapshot | null {
    return this.views.get(scope)?.view.kpi() ?? null;
  }

  /** ClickHouse evaluations so far, all scopes and panel queries (the subscription-cost benchmark reads it). */
  get evaluations(): number {
    let n = this.retiredEvaluations + this.queries.evaluations;
    for (const { view } of this.views.values()) n += view.evaluations;
    return n;
  }

  /** The interval until the next frame, ms (for /metrics): TICK_MS, or longer while frames cost more. */
  get frameIntervalMs(): number {
    return this.pacer.interval;
  }

  /** A tick, timed: what it took sets the wait for the next (live/pacer.ts). */
  private paced(): void {
    const started = performance.now();
    this.tick();
    if (this.running) this.timer = setTimeout(() => this.paced(), this.pacer.next(performance.now() - started));
  }

  private tick(): void {
    this.queries.tick();
    let sent = false;
    for (const { view } of this.views.values()) sent = view.tick() || sent;
    if (!sent) return;
    this.frames += 1;
    if (this.oldestUnsent !== null) this.lastPushDelayMs = performance.now() - this.oldestUnsent;
    this.oldestUnsent = null;
  }

  /** Only the newest FEED_LENGTH lines (by event time) can show: the rest are never masked or sent. */
  private feedLines(events: readonly PracticeEvent[]): FeedItem[] {
    return newestFeedEvents(events, FEED_LENGTH).map((e) =>
      feedItemFromRow(toRow(e, ''), this.options.nodeNames.get(e.nodeId) ?? e.nodeId, this.feedNote),
    );
  }
}
