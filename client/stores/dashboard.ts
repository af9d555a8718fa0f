/**
 * The dashboard a wall shows: definitions fetched from /api/dashboards (cached by id, replaced live
 * when the server pushes an edited file), the one the screen asked for, and emergency mode, which
 * overrides it on every wall until it is switched off — then each wall returns to its own.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowReactive, shallowRef, watch } from 'vue';
import type { Dashboard, DashboardList } from '../../shared/dashboard';
import type { EmergencyState } from '../../shared/emergency';
import { getJson, HttpError } from '../http';
import { liveSocket, type LiveSocket } from '../socket';

/** Kept beside shared/emergency.ts's constants: importing them would ship TypeBox to the wall. */
const EMERGENCY_DASHBOARD = 'emergency';
const OFF: EmergencyState = { active: false, message: '', since: null, by: null };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const useDashboardStore = defineStore('dashboard', () => {
  const definitions = shallowReactive(new Map<string, Dashboard>());
  const list = shallowRef<DashboardList | null>(null);
  /** Ids the server does not know (a typo in a kiosk URL): shown as such, not retried forever. */
  const unknown = shallowReactive(new Set<string>());
  const requested = ref<string | null>(null);
  /** Dashboards side by side on one surface (a spliced wall's `?dashboards=`); empty for one. */
  const beside = ref<string[]>([]);
  const emergency = shallowRef<EmergencyState>(OFF);
  /** The dashboard a meeting tablet drives this wall to; null: the wall's own (its URL, its playlist). */
  const driven = ref<string | null>(null);
  const loading = new Map<string, Promise<void>>();

  const shownId = computed(() => (emergency.value.active ? EMERGENCY_DASHBOARD : (driven.value ?? requested.value)));
  const current = computed(() => (shownId.value ? (definitions.get(shownId.value) ?? null) : null));
  /** Every dashboard on the surface, left to right: emergency mode shows its own alone. */
  const shownIds = computed(() =>
    emergency.value.active || driven.value !== null || beside.value.length === 0
      ? shownId.value
        ? [shownId.value]
        : []
      : beside.value,
  );
  /** Their definitions once all are loaded (a half-loaded row would jump as the rest arrive). */
  const shown = computed<Dashboard[] | null>(() => {
    const list = shownIds.value.map((id) => definitions.get(id)).filter((d): d is Dashboard => d !== undefined);
    return list.length > 0 && list.length === shownIds.value.length ? list : null;
  });

  /** Fetches a definition once; retries outages (a wall heals by itself), not a 404. */
  function ensure(id: string): Promise<void> {
    if (definitions.has(id) || unknown.has(id)) return Promise.resolve();
    const pending = loading.get(id);
    if (pending) return pending;
    const load = (async () => {
      for (let attempt = 0; ; attempt += 1) {
        try {
          definitions.set(id, await getJson<Dashboard>(`/api/dashboards/${encodeURIComponent(id)}`));
          return;
        } catch (err) {
          if (err instanceof HttpError && err.status === 404) return void unknown.add(id);
          console.warn(`dashboard ${id} unavailable, retrying`, err);
          await sleep(Math.min(15_000, 1000 * 2 ** attempt));
        }
      }
    })().finally(() => loading.delete(id));
    loading.set(id, load);
    return load;
  }

  function show(id: string): void {
    requested.value = id;
    void ensure(id);
  }

  /** Shows what a meeting tablet picks over the wall's own (null: back to its own, where it was). */
  function drive(id: string | null): void {
    driven.value = id;
    if (id !== null) void ensure(id);
  }

  /** Several dashboards side by side; the first one also stands as the requested one. */
  function showBeside(ids: readonly string[]): void {
    beside.value = [...ids];
    show(ids[0] ?? '');
    ids.forEach((id) => void ensure(id));
  }

  async function loadList(): Promise<DashboardList> {
    list.value ??= await getJson<DashboardList>('/api/dashboards');
    return list.value;
  }

  /** Binds the live pushes (an edited file, emergency mode); returns the unbinding function. */
  function bind(target: LiveSocket = liveSocket): () => void {
    const onDashboard = (dashboard: Dashboard) => definitions.set(dashboard.id, dashboard);
    const onMode = (mode: EmergencyState) => (emergency.value = mode);
    // The admin console lists what each screen shows and which build it runs: told on every
    // (re)connect and at every switch (a rotation, emergency mode).
    const report = () => {
      if (target.connected && shownId.value)
        target.emit('live:screen', { dashboard: shownId.value, version: __APP_VERSION__ });
    };
    const stopReporting = watch(shownId, report);
    target.on('connect', report);
    target.on('live:dashboard', onDashboard);
    target.on('live:mode', onMode);
    // Ready before it is needed: the switch must reach the wall within a second, not after a fetch.
    void ensure(EMERGENCY_DASHBOARD);
    return () => {
      stopReporting();
      target.off('connect', report);
      target.off('live:dashboard', onDashboard);
      target.off('live:mode', onMode);
    };
  }

  return {
    definitions,
    list,
    unknown,
    requested,
    emergency,
    driven,
    shownId,
    current,
    shownIds,
    shown,
    ensure,
    show,
    showBeside,
    drive,
    loadList,
    bind,
  };
});
