/**
 * 回放: the county as it was at a moment, read from ClickHouse with the live wall's own queries on
 * the store cut at that moment (store/as-of.ts), not from a recording. Figures are read on the
 * minute boundary before the moment (the per-minute rollups' grain, so a replayed minute equals the
 * store's figures for it); the feed at the moment itself, masked as on the live wall (live/feed.ts),
 * without the activities' "12/30" notes, which say how an activity stands now, not then.
 *
 * The evaluation is scored with the weights version in force at the replayed minute (the newest
 * saved by then, else version 0), not today's: a replay shows the ranking the county saw then.
 *
 * Walls of one meeting replay the same minutes with the same panels: results are kept briefly by
 * (minute, weights version, scope, panel), so a group of walls costs ClickHouse one evaluation, not
 * one per wall.
 */
import type { RefusalCode } from '../../shared/codes.js';
import type { WeightsVersion } from '../../shared/evaluation-weights.js';
import { FEED_LENGTH, TREND_MINUTES, type LiveSnapshot, type ReplayFrame } from '../../shared/live.js';
import type { QueryName } from '../../shared/queries/index.js';
import { queryKey } from '../../shared/query-key.js';
import { asOf } from '../store/as-of.js';
import { queryCheckinTrend, queryKpi, queryRecentEvents } from '../store/kpi-repository.js';
import type { ScopeNodes } from '../store/scope-sql.js';
import type { Transport } from '../store/transport.js';
import { feedItemFromRow } from '../live/feed.js';
import type { QueryDefinition } from '../queries/definition.js';
import { QUERIES } from '../queries/index.js';

const MINUTE_MS = 60_000;
const UNAVAILABLE: RefusalCode = 'STORE_UNAVAILABLE';
/** Results kept for walls replaying the same minutes: a few minutes of a 10-wall group's panels. */
const CACHE_ENTRIES = 512;

/** A panel to evaluate: the wall's id for it and its subscription, its scope already checked. */
export interface ReplayPanel {
  id: string;
  query: QueryName;
  scope: string;
  nodes: ScopeNodes;
  params: unknown;
}

export class ReplayReader {
  private readonly cache = new Map<string, Promise<unknown>>();
  evaluations = 0;

  constructor(
    private readonly store: Transport,
    /** The evaluation weights in force at a moment (server/reports/weights.ts `at`). */
    private readonly weightsAt: (at: number) => WeightsVersion,
    private readonly nodeName: (id: string) => string,
  ) {}

  /** The frame at `at` for a screen of `scope`; a panel whose query fails carries the error code instead. */
  async read(at: number, scope: string, nodes: ScopeNodes, panels: readonly ReplayPanel[]): Promise<ReplayFrame> {
    const until = Math.floor(at / MINUTE_MS) * MINUTE_MS;
    const figures = asOf(this.store, until);
    const [core, feed, results] = await Promise.all([
      this.cached(`${until}|core|${scope}`, () =>
        Promise.all([queryKpi(figures, until, nodes), queryCheckinTrend(figures, until, TREND_MINUTES, nodes)]),
      ),
      queryRecentEvents(asOf(this.store, at + 1), FEED_LENGTH, nodes, at),
      Promise.all(panels.map((p) => this.panel(until, figures, p))),
    ]);
    const [kpi, trend] = core;
    const snapshot: LiveSnapshot = {
      seq: 0,
      kpi: { ...kpi, asOf: at },
      trend,
      feed: feed.map((r) => feedItemFromRow(r, this.nodeName(r.node_id))),
    };
    return { at, snapshot, panels: results };
  }

  private async panel(until: number, figures: Transport, p: ReplayPanel): Promise<ReplayFrame['panels'][number]> {
    // One query's definition, typed for all: its params were checked against its schema by the caller.
    const definition = QUERIES[p.query] as QueryDefinition<QueryName>;
    const weights = this.weightsAt(until);
    const key = `${until}|v${weights.version}|${queryKey(p.query, p.scope, p.params as object)}`;
    const config = { evaluation: { weights: weights.weights } };
    try {
      const data = await this.cached<unknown>(key, () =>
        definition.run({ store: figures, now: until, config }, p.params as never, p.nodes),
      );
      return { id: p.id, data };
    } catch {
      return { id: p.id, error: UNAVAILABLE };
    }
  }

  private cached<T>(key: string, evaluate: () => Promise<T>): Promise<T> {
    const held = this.cache.get(key) as Promise<T> | undefined;
    if (held) return held;
    this.evaluations += 1;
    const pending = evaluate();
    // A failure is not kept: the next read asks ClickHouse again.
    pending.catch(() => this.cache.delete(key));
    this.cache.set(key, pending);
    if (this.cache.size > CACHE_ENTRIES) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return pending;
  }
}
