/**
 * Every panel shows how fresh its data is. A panel reports the server time its data was last
 * confirmed (`asOf`); the frame around it (PanelFrame) turns that into "12 秒前", amber when stale.
 * Injected rather than emitted so a panel component keeps the fixed props `{ panel, scope }`.
 */
import { inject, watch, type InjectionKey, type MaybeRefOrGetter, toValue } from 'vue';

export type FreshnessReporter = (asOf: number | null) => void;
export const FRESHNESS_KEY: InjectionKey<FreshnessReporter> = Symbol('freshness');

/** Reports `asOf` (epoch ms, server clock; null = no data yet) to the enclosing frame, live. */
export function reportFreshness(asOf: MaybeRefOrGetter<number | null>): void {
  const report = inject(FRESHNESS_KEY, null);
  if (!report) return;
  watch(() => toValue(asOf), report, { immediate: true });
}

/** Pure: the age shown and whether it counts as stale. */
export function freshnessOf(
  asOf: number | null,
  serverNow: number,
  staleAfterMs: number,
): { ageS: number | null; stale: boolean } {
  if (asOf === null) return { ageS: null, stale: true };
  const ageS = Math.max(0, Math.floor((serverNow - asOf) / 1000));
  return { ageS, stale: ageS * 1000 > staleAfterMs };
}

/**
 * Server time of the last live frame: the freshness of panels drawn from the live stream (the
 * feed, the map's ripples) or from data the live connection keeps confirming (the network).
 */
export function liveAsOf(live: { lastUpdateAt: number | null; serverOffsetMs: number }): number | null {
  return live.lastUpdateAt === null ? null : live.lastUpdateAt + live.serverOffsetMs;
}
