/**
 * The scope every panel follows: the district, a town (所), a station (站) or a point (点). One piece of client
 * state, kept in the URL (`?scope=I03`, so a reload or a kiosk bookmark keeps it) and handed to the
 * live socket, whose core frames (KPI, trend, feed) follow the handshake scope.
 *
 * Panels read `current` (a node id: the center's at district level) for their `scope`; `drill(id)`
 * goes down, `up()` one level back, `reset()` to the district.
 */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { useRouter } from 'vue-router';
import type { Principal } from '../../shared/auth';
import { getJson } from '../http';
import { normalizeScope, parentScope, scopeChain } from '../map/drill';
import { setLiveScope } from '../socket';
import { useNetworkStore } from './network';

function urlScope(): string | null {
  return new URLSearchParams(window.location.search).get('scope');
}

export const useScopeStore = defineStore('scope', () => {
  const router = useRouter();
  const net = useNetworkStore();
  /** The scope asked for; null = the district (the screen's own scope). Raw until the network is known. */
  const selected = ref<string | null>(urlScope());

  /**
   * A screen whose token or account is scoped to a town has that town as its top, not the district:
   * undefined until the server has said (a town's wall waits for it before choosing a town).
   */
  const home = ref<string | null | undefined>(undefined);
  // 'district' is shared/auth.ts's DISTRICT, spelled out: importing that module would pull its schemas in.
  void getJson<Principal>('/api/auth/me')
    .then((me) => (home.value = me.scope === 'district' ? null : me.scope))
    .catch(() => (home.value = null));
  const center = computed(() => net.network?.nodes.find((n) => n.level === 'center')?.id ?? '');
  const root = computed(() => home.value ?? center.value);
  /** The node id panels pass as `scope`. */
  const current = computed(() => selected.value ?? root.value);
  /** The breadcrumb, district first. */
  const chain = computed(() => scopeChain(net.nodesById, current.value));
  const level = computed(() => chain.value[chain.value.length - 1]?.level ?? 'center');

  function set(next: string | null): void {
    if (next === selected.value) return;
    selected.value = next;
  }
  /** Watch a town, a station or a point; an unknown id is ignored. */
  function drill(id: string): void {
    if (!net.network) return set(id);
    const next = normalizeScope(net.nodesById, id);
    if (next !== null || id === root.value) set(next);
  }
  function up(): void {
    set(parentScope(net.nodesById, selected.value));
  }
  function reset(): void {
    set(null);
  }

  // A URL scope given as an unknown id or the center's own id settles once the network is known.
  watch(
    () => net.network,
    (network) => {
      if (network && selected.value !== null) set(normalizeScope(net.nodesById, selected.value));
    },
  );
  watch(
    selected,
    (scope) => {
      setLiveScope(scope);
      const query = { ...router.currentRoute.value.query };
      if (scope) query['scope'] = scope;
      else delete query['scope'];
      void router.replace({ query });
    },
    { immediate: true },
  );

  return { selected, home, current, chain, level, drill, up, reset };
});
