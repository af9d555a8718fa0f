/**
 * The evaluation weights in force (issue 17.5): read from the store's versions at start, replaced
 * when an admin saves a new one. The object the named queries read (`queryConfig`) is the one this
 * service holds, so the live evaluation scores with the new weights from its next run on.
 */
import type { EvaluationConfig } from '../../shared/evaluation.js';
import {
  currentVersion,
  versionAt,
  weightsProblem,
  type Weights,
  type WeightsList,
  type WeightsVersion,
} from '../../shared/evaluation-weights.js';
import { Errors } from '../errors.js';
import type { QueryConfig } from '../queries/definition.js';
import type { Transport } from '../store/transport.js';
import { insertWeightsVersion, loadWeightsVersions } from '../store/weights-repository.js';
import { localClaims, type WeightsClaims } from './weights-claims.js';

export class WeightsService {
  /** What the named queries read; its `evaluation` is replaced, never mutated, on a change. */
  readonly queryConfig: QueryConfig;
  private saved: WeightsVersion[] = [];
  /** Saves one at a time: the next version number is read and taken with nothing in between. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Transport,
    /** EVALUATION_FILE's weights or the defaults: version 0. */
    private readonly config: EvaluationConfig,
    /** Told after the weights in force changed (the live hub re-evaluates the ranking). */
    private readonly changed: () => void = () => undefined,
    /** Several nodes: the version number is won in Redis (weights-claims.ts); one node: its queue. */
    private readonly claims: WeightsClaims = localClaims,
  ) {
    this.queryConfig = { evaluation: config };
  }

  /** Reads the versions again (at start; on several nodes, now and then, for another node's save). */
  async load(): Promise<WeightsVersion> {
    const before = this.current().version;
    this.saved = await loadWeightsVersions(this.store);
    const now = this.current();
    this.queryConfig.evaluation = { weights: now.weights };
    if (now.version !== before) this.changed();
    return now;
  }

  current(): WeightsVersion {
    return currentVersion(this.saved, this.config);
  }

  /** The version in force at `at` (回放's clock): the newest saved by then, else version 0. */
  at(at: number): WeightsVersion {
    return versionAt(this.saved, this.config, at);
  }

  list(): WeightsList {
    const zero = currentVersion([], this.config);
    return { current: this.current(), versions: [...this.saved, zero] };
  }

  /** Version `n`'s weights (0 the configuration's); null when there is none. */
  async version(n: number): Promise<WeightsVersion | null> {
    if (n === 0) return currentVersion([], this.config);
    const known = this.saved.find((v) => v.version === n);
    if (known) return known;
    await this.load();
    return this.saved.find((v) => v.version === n) ?? null;
  }

  /** A new version from `weights`, refused when they do not add up or `basedOn` is not the newest. */
  save(weights: Weights, basedOn: number, author: string, note = '', at = Date.now()): Promise<WeightsVersion> {
    const run = this.queue.then(async () => {
      const problem = weightsProblem(weights);
      if (problem) throw new Errors.WEIGHTS_INVALID(problem);
      await this.load();
      const newest = this.current().version;
      if (basedOn !== newest) throw new Errors.WEIGHTS_STALE_VERSION(basedOn, newest);
      // Another node may be saving the same number this instant: the cluster's claim decides.
      const claim = await this.claims.claim(basedOn, newest);
      if (claim.kind === 'unreachable') throw new Errors.SHARED_UNAVAILABLE();
      if (claim.kind === 'behind') throw new Errors.WEIGHTS_STALE_VERSION(basedOn, claim.newest);
      const version: WeightsVersion = { version: claim.version, weights, author, createdAt: at, note };
      try {
        await insertWeightsVersion(this.store, version);
      } catch (error) {
        await this.claims.settle(version.version, false).catch(() => undefined);
        throw error;
      }
      await this.claims.settle(version.version, true).catch(() => undefined);
      await this.load();
      return version;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
