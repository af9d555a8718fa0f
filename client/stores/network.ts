/** The "1+9+118+N" network of the county: nodes, outline and town areas, from /api/network. */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Network } from '../../shared/network';
import { DEFAULT_TIME_ZONE } from '../../shared/time-zone';
import { setCountyTimeZone } from '../format';
import { getJsonWithRetry } from '../http';

export const useNetworkStore = defineStore('network', () => {
  // shallowRef: 469 nodes plus GeoJSON are read-only data; deep reactivity would only cost memory.
  const network = shallowRef<Network | null>(null);
  const failures = ref(0);

  const nodesById = computed(() => new Map((network.value?.nodes ?? []).map((n) => [n.id, n])));

  async function load(): Promise<void> {
    network.value = await getJsonWithRetry<Network>('/api/network', (err) => {
      failures.value += 1;
      console.warn('network unavailable, retrying', err);
    });
    setCountyTimeZone(network.value.county.timeZone ?? DEFAULT_TIME_ZONE);
  }

  return { network, failures, nodesById, load };
});
