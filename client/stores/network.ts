/** The "1+9+118+N" network of the county: nodes, outline and town areas, from /api/network. */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Network, NetworkNode, NodeLevel } from '../../shared/network';
import { DEFAULT_TIME_ZONE } from '../../shared/time-zone';
import { setCountyTimeZone } from '../format';
import { getJsonWithRetry } from '../http';

export type LevelCounts = Record<NodeLevel, number>;

/** Same as shared countByLevel; kept here so the bundle does not pull in the TypeBox schemas. */
function countLevels(nodes: readonly NetworkNode[]): LevelCounts {
  const counts: LevelCounts = { center: 0, institute: 0, station: 0, point: 0 };
  for (const n of nodes) counts[n.level] += 1;
  return counts;
}

export const useNetworkStore = defineStore('network', () => {
  // shallowRef: 469 nodes plus GeoJSON are read-only data; deep reactivity would only cost memory.
  const network = shallowRef<Network | null>(null);
  const failures = ref(0);

  const nodesById = computed(() => new Map((network.value?.nodes ?? []).map((n) => [n.id, n])));
  const counts = computed<LevelCounts>(() => countLevels(network.value?.nodes ?? []));

  async function load(): Promise<void> {
    network.value = await getJsonWithRetry<Network>('/api/network', (err) => {
      failures.value += 1;
      console.warn('network unavailable, retrying', err);
    });
    setCountyTimeZone(network.value.county.timeZone ?? DEFAULT_TIME_ZONE);
  }

  return { network, failures, nodesById, counts, load };
});
