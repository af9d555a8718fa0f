/**
 * What every admin section picks from: the towns (所) a dispatcher or a wall token can be scoped
 * to, and the dashboards a screen can open. Loaded once, with the admin's session only (see
 * personCall), so a wall token held by this browser never stands in for the admin.
 */
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { DashboardList } from '../../shared/dashboard';
import type { Network, NetworkNode } from '../../shared/network';
import { personCall, type CallError } from '../http';

export const useAdminStore = defineStore('admin', () => {
  const towns = shallowRef<readonly NetworkNode[]>([]);
  const dashboards = shallowRef<DashboardList['dashboards']>([]);
  const error = shallowRef<CallError | null>(null);
  let loading: Promise<void> | null = null;

  const townName = computed(() => new Map(towns.value.map((n) => [n.id, n.name])));
  /** A node id (the center's for the district) or `district`, as a person reads it. */
  const centerId = shallowRef('');

  function load(): Promise<void> {
    loading ??= (async () => {
      const [network, list] = await Promise.all([
        personCall<Network>('GET', '/api/network'),
        personCall<DashboardList>('GET', '/api/dashboards'),
      ]);
      if (!network.ok) return void (error.value = network.error);
      if (!list.ok) return void (error.value = list.error);
      towns.value = network.data.nodes.filter((n) => n.level === 'institute');
      centerId.value = network.data.nodes.find((n) => n.level === 'center')?.id ?? '';
      dashboards.value = list.data.dashboards;
    })();
    return loading;
  }

  return { towns, dashboards, error, townName, centerId, load };
});
