/**
 * Query subscriptions: each distinct (query, scope, parameters) is one entry, evaluated in
 * ClickHouse once per change of its source event types — coalesced to at most one evaluation per
 * `minIntervalMs` — however many screens watch it. A result is pushed only when it differs from the
 * last one; otherwise the screens get just the new `asOf`, their freshness.
 */
import type { FastifyBaseLogger as Logger } from 'fastify';
import { queryKey } from '../../shared/query-key.js';
import type { QueryName, QueryParams, QueryResults, QueryUpdate } from '../../shared/queries/index.js';
import type { ScopeNodes } from '../store/scope-sql.js';
import type { Transport } from '../store/transport.js';
import type { QueryConfig, QueryContext } from '../queries/definition.js';
import { QUERIES } from '../queries/index.js';
import type { LiveFigures } from './figures.js';
import type { Covers, SharedEvaluations } from './lease.js';

interface Entry {
  key: string;
  query: QueryName;
  run: (now: number) => Promise<unknown>;
  refreshMs: number;
  sources: ReadonlySet<string>;
  watchers: Set<string>;
  json: string | null;
  update: QueryUpdate | null;
  dirty: boolean;
  /** Per origin, the flush that made it dirty: a peer's result that includes them all makes it clean. */
  waitFor: Map<string, number>;
  lastEvaluate: number;
  evaluating: Promise<void> | null;
}

export interface SubscriptionOptions {
  log: Logger;
  /** Pushes an update to the screens watching `key`. */
  publish: (key: string, update: QueryUpdate) => void;
  /** What the queries read of the configuration (the evaluation weights). */
  config: QueryConfig;
  /** The server's live figures, which some queries answer from (queries/nodes-status.ts). */
  figures?: LiveFigures;
  minIntervalMs?: number;
  /**
   * Several nodes: one evaluation per key in the cluster. This node evaluates a due entry only when
   * it gets the claim (live/lease.ts) and hands the result on by `share`; peers' results come in by `adopt`.
   */
  shared?: SharedEvaluations & { share: (covers: Covers, update: QueryUpdate) => void };
}

export class QuerySubscriptions {
  private readonly entries = new Map<string, Entry>();
  /** Per origin (node run), event types accepted but not yet in ClickHouse, with the position of their latest event. */
  private readonly pendingTypes = new Map<string, Map<string, number>>();
  /** Per origin, the log position ClickHouse holds (what an evaluation started now includes). */
  private readonly flushedAt = new Map<string, number>();
  /** ClickHouse evaluations so far (the subscription-cost benchmark reads it). */
  evaluations = 0;

  constructor(
    private readonly store: Transport,
    private readonly options: SubscriptionOptions,
  ) {}

  /** Adds a watcher; resolves with the current result (evaluating it first if the entry is new). */
  async subscribe<Q extends QueryName>(
    watcher: string,
    query: Q,
    scopeId: string,
    scope: ScopeNodes,
    params: QueryParams<Q>,
  ): Promise<QueryUpdate> {
    const key = queryKey(query, scopeId, params);
    let entry = this.entries.get(key);
    if (!entry) {
      const definition = QUERIES[query];
      entry = {
        key,
        query,
        run: (now) => definition.run(this.context(now), params, scope),
        refreshMs: definition.refreshMs,
        sources: new Set(definition.sources(params)),
        watchers: new Set(),
        json: null,
        update: null,
        dirty: true,
        waitFor: new Map(),
        lastEvaluate: 0,
        evaluating: null,
      };
      this.entries.set(key, entry);
    }
    entry.watchers.add(watcher);
    try {
      while (!entry.update) await (entry.evaluating ?? this.evaluate(entry));
      return entry.update;
    } catch (error) {
      this.unsubscribe(watcher, key);
      throw error;
    }
  }

  /**
   * A query's answer now without subscribing to it (an export): what the screens watching the same
   * (query, scope, parameters) were last sent, or one evaluation when none watch it. `asOf` is the
   * clock the answer was evaluated at.
   */
  async current<Q extends QueryName>(
    query: Q,
    scopeId: string,
    scope: ScopeNodes,
    params: QueryParams<Q>,
  ): Promise<{ asOf: number; data: QueryResults[Q] }> {
    const update = this.entries.get(queryKey(query, scopeId, params))?.update;
    if (update?.data !== undefined) return { asOf: update.asOf, data: update.data as QueryResults[Q] };
    const now = Date.now();
    const data = await QUERIES[query].run(this.context(now), params, scope);
    return { asOf: now, data };
  }

  private context(now: number): QueryContext {
    const { config, figures } = this.options;
    return { store: this.store, now, config, ...(figures ? { figures } : {}) };
  }

  unsubscribe(watcher: string, key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.watchers.delete(watcher);
    if (entry.watchers.size === 0) this.entries.delete(key);
  }

  /** Every subscription of a watcher that went away. */
  drop(watcher: string): void {
    for (const key of [...this.entries.keys()]) this.unsubscribe(watcher, key);
  }

  onAccepted(types: Iterable<string>, position: number, origin: string): void {
    let pending = this.pendingTypes.get(origin);
    if (!pending) this.pendingTypes.set(origin, (pending = new Map<string, number>()));
    for (const type of types) pending.set(type, position);
  }

  /** Types whose events are now all in ClickHouse mark their subscriptions for re-evaluation. */
  onFlushed(position: number, origin: string): void {
    this.flushedAt.set(origin, Math.max(this.flushedAt.get(origin) ?? 0, position));
    const pending = this.pendingTypes.get(origin);
    if (!pending) return;
    const changed = new Set<string>();
    for (const [type, at] of pending) {
      if (at > position) continue;
      changed.add(type);
      pending.delete(type);
    }
    if (pending.size === 0) this.pendingTypes.delete(origin);
    if (changed.size === 0) return;
    for (const entry of this.entries.values()) {
      if (![...entry.sources].some((s) => changed.has(s))) continue;
      entry.dirty = true;
      entry.waitFor.set(origin, position);
    }
  }

  /** Every entry of `query` is evaluated again at the next tick (its configuration changed: new weights). */
  invalidate(query: QueryName): void {
    for (const entry of this.entries.values()) if (entry.query === query) entry.dirty = true;
  }

  /** A peer run gone silent: the entries reading what it left pending are evaluated again. */
  forget(origin: string): void {
    const types = this.pendingTypes.get(origin);
    this.pendingTypes.delete(origin);
    this.flushedAt.delete(origin);
    for (const entry of this.entries.values()) {
      entry.waitFor.delete(origin);
      if (types && [...entry.sources].some((s) => types.has(s))) entry.dirty = true;
    }
  }

  /** A peer's evaluation of an entry this node serves too: its screens get it as if evaluated here. */
  adopt(covers: Covers, update: QueryUpdate): void {
    const entry = this.entries.get(update.key);
    if (!entry || update.data === undefined) return;
    for (const [origin, at] of entry.waitFor) if ((covers[origin] ?? 0) >= at) entry.waitFor.delete(origin);
    entry.dirty = entry.waitFor.size > 0;
    entry.lastEvaluate = Date.now();
    this.take(entry, update.asOf, update.data);
  }

  /** Called on the hub's tick: starts the evaluations that are due. */
  tick(now = Date.now()): void {
    const minInterval = this.options.minIntervalMs ?? 1_000;
    for (const entry of this.entries.values()) {
      const since = now - entry.lastEvaluate;
      const due = entry.dirty || since >= entry.refreshMs;
      if (due && !entry.evaluating && since >= minInterval)
        void (this.options.shared ? this.evaluateShared(entry, this.options.shared) : this.evaluate(entry));
    }
  }

  get size(): number {
    return this.entries.size;
  }

  async settled(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => e.evaluating ?? Promise.resolve()));
  }

  private evaluate(entry: Entry): Promise<void> {
    entry.evaluating = this.run(entry)
      .then(() => undefined)
      .finally(() => {
        entry.evaluating = null;
      });
    return entry.evaluating;
  }

  private evaluateShared(entry: Entry, shared: NonNullable<SubscriptionOptions['shared']>): void {
    // Paced like an evaluation either way: the next claim waits the interval.
    entry.lastEvaluate = Date.now();
    entry.evaluating = shared
      .claim(`query:${entry.key}`)
      .then(async (mine) => {
        if (!mine) return;
        const covers = Object.fromEntries(this.flushedAt);
        const done = await this.run(entry).catch(() => false);
        if (done && entry.update) shared.share(covers, entry.update);
      })
      .finally(() => {
        entry.evaluating = null;
      });
  }

  /** One evaluation; true when it succeeded. Throws only while the entry has no result at all. */
  private run(entry: Entry): Promise<boolean> {
    entry.dirty = false;
    entry.waitFor.clear();
    const now = Date.now();
    entry.lastEvaluate = now;
    return entry
      .run(now)
      .then((data) => {
        this.evaluations += 1;
        this.take(entry, now, data);
        return true;
      })
      .catch((error: unknown) => {
        // The last good result stays on screen; its asOf ages, which the tile shows.
        entry.dirty = true;
        this.options.log.warn({ err: error, query: entry.key }, 'panel query failed');
        if (!entry.update) throw error;
        return false;
      });
  }

  /** A result (this node's or a peer's): pushed whole when it differs, otherwise only its freshness. */
  private take(entry: Entry, asOf: number, data: unknown): void {
    const json = JSON.stringify(data);
    const changed = json !== entry.json;
    entry.json = json;
    entry.update = { key: entry.key, query: entry.query, asOf, data: data as QueryResults[QueryName] };
    if (entry.watchers.size > 0)
      this.options.publish(entry.key, changed ? entry.update : { key: entry.key, query: entry.query, asOf });
  }
}
