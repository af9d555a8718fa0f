/** Server-side display settings (tile server, default locale), loaded once at start. */
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { ClientConfig } from '../../shared/api';
import { getJsonWithRetry } from '../http';

export const useConfigStore = defineStore('config', () => {
  const config = shallowRef<ClientConfig | null>(null);

  async function load(): Promise<ClientConfig> {
    const loaded = await getJsonWithRetry<ClientConfig>('/api/client-config', (err) =>
      console.warn('client config unavailable, retrying', err),
    );
    config.value = loaded;
    return loaded;
  }

  return { config, load };
});
