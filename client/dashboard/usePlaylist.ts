/**
 * A rotation of dashboards (and scopes) with a dwell per item: `?playlist=towns` cycles the town
 * wall through every 所, `?rotate=a,b` alternates dashboards. Pausable (space, or a click on the
 * indicator); held while emergency mode overrides the wall, resuming where it was.
 */
import { computed, onScopeDispose, ref, watch, type Ref } from 'vue';
import type { PlaylistItem } from '../../shared/dashboard';

export interface PlaylistEntry {
  dashboard: string;
  /** A town or station id; null = the screen's own scope. */
  scope: string | null;
  dwellS: number;
}

/** Pure: one entry per item, items with `forEach: 'institute'` once per town in network order. */
export function expandPlaylist(items: readonly PlaylistItem[], institutes: readonly string[]): PlaylistEntry[] {
  return items.flatMap((item) =>
    item.forEach === 'institute'
      ? institutes.map((id) => ({ dashboard: item.dashboard, scope: id, dwellS: item.dwellS }))
      : [{ dashboard: item.dashboard, scope: item.scope ?? null, dwellS: item.dwellS }],
  );
}

export function usePlaylist(entries: Ref<readonly PlaylistEntry[]>, held: Ref<boolean>, now: Ref<number>) {
  const index = ref(0);
  const paused = ref(false);
  /** When the current item ends (client clock); while paused or held, the time it had left. */
  const endsAt = ref<number | null>(null);
  const leftMs = ref(0);

  const current = computed<PlaylistEntry | null>(() => entries.value[index.value % entries.value.length] ?? null);

  function start(i: number): void {
    index.value = entries.value.length > 0 ? i % entries.value.length : 0;
    endsAt.value = current.value ? Date.now() + current.value.dwellS * 1000 : null;
  }

  const stopped = computed(() => paused.value || held.value);
  watch(stopped, (stop) => {
    if (stop && endsAt.value !== null) {
      leftMs.value = Math.max(0, endsAt.value - Date.now());
      endsAt.value = null;
    } else if (!stop) endsAt.value = Date.now() + leftMs.value;
  });
  watch(
    () => entries.value.length,
    () => start(0),
    { immediate: true },
  );
  // The shared once-a-second clock drives it: no timer of its own to leak over days.
  const stopClock = watch(now, (t) => {
    if (endsAt.value !== null && t >= endsAt.value) start(index.value + 1);
  });
  onScopeDispose(stopClock);

  const remainingS = computed(() =>
    endsAt.value === null ? Math.ceil(leftMs.value / 1000) : Math.max(0, Math.ceil((endsAt.value - now.value) / 1000)),
  );
  const toggle = () => (paused.value = !paused.value);

  return { index, paused, current, remainingS, toggle };
}
