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
import type { QueryConfig } from '../queries/definition.js';
import { QUERIES } from '../queries/index.js';

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
  lastEvaluate: number;
  evaluating: Promise<void> | null;
}

export interface SubscriptionOptions {
  log: Logger;
  /** Pushes an update to the screens watching `key`. */
  publish: (key: string, update: QueryUpdate) => void;
  /** What the queries read of the configuration (the evaluation weights). */
  config: QueryConfig;
  minIntervalMs?: number;
}

export class QuerySubscriptions {
  private readonly entries = new Map<string, Entry>();
  /** Per origin (node run), event types accepted but not yet in ClickHouse, with the position of their latest event. */
  private readonly pendingTypes = new Map<string, Map<string, number>>();
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
        run: (now) => definition.run({ store: this.store, now, config: this.options.config }, params, scope),
        refreshMs: definition.refreshMs,
        sources: new Set(definition.sources(params)),
        watchers: new Set(),
        json: null,
        update: null,
        dirty: true,
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
    const data = await QUERIES[query].run({ store: this.store, now, config: this.options.config }, params, scope);
    return { asOf: now, data };
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
    for (const entry of this.entries.values()) if ([...entry.sources].some((s) => changed.has(s))) entry.dirty = true;
  }

  /** Called on the hub's tick: starts the evaluations that are due. */
  tick(now = Date.now()): void {
    const minInterval = this.options.minIntervalMs ?? 1_000;
    for (const entry of this.entries.values()) {
      const since = now - entry.lastEvaluate;
      const due = entry.dirty || since >= entry.refreshMs;
      if (due && !entry.evaluating && since >= minInterval) void this.evaluate(entry);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  async settled(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => e.evaluating ?? Promise.resolve()));
  }

  private evaluate(entry: Entry): Promise<void> {
    entry.dirty = false;
    const now = Date.now();
    entry.lastEvaluate = now;
    entry.evaluating = entry
      .run(now)
      .then((data) => {
        this.evaluations += 1;
        const json = JSON.stringify(data);
        const changed = json !== entry.json;
        entry.json = json;
        entry.update = { key: entry.key, query: entry.query, asOf: now, data: data as QueryResults[QueryName] };
        if (entry.watchers.size > 0)
          this.options.publish(entry.key, changed ? entry.update : { key: entry.key, query: entry.query, asOf: now });
      })
      .catch((error: unknown) => {
        // The last good result stays on screen; its asOf ages, which the tile shows.
        entry.dirty = true;
        this.options.log.warn({ err: error, query: entry.key }, 'panel query failed');
        if (!entry.update) throw error;
      })
      .finally(() => {
        entry.evaluating = null;
      });
    return entry.evaluating;
  }
}
