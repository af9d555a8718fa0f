/**
 * What the wall shows over time: one dashboard, or a rotation (`?rotate=`, `?playlist=`) whose
 * items set the dashboard and the scope in turn. Space pauses and resumes a rotation; emergency mode
 * and a meeting tablet hold it.
 */
import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue';
import type { PlaylistItem } from '../../shared/dashboard';
import { useNow } from '../composables/useNow';
import { useDashboardStore } from '../stores/dashboard';
import { useMeetingStore } from '../stores/meeting';
import { useNetworkStore } from '../stores/network';
import { useScopeStore } from '../stores/scope';
import type { Kiosk } from './kiosk';
import { useLabel } from './label';
import { expandPlaylist, usePlaylist } from './usePlaylist';

export function useWallPlaylist(kiosk: Kiosk) {
  const boards = useDashboardStore();
  const scope = useScopeStore();
  const net = useNetworkStore();
  const label = useLabel();
  const items = shallowRef<readonly PlaylistItem[]>([]);
  const name = ref('');

  if (kiosk.beside) {
    boards.showBeside(kiosk.beside);
  } else if (kiosk.rotate) {
    items.value = kiosk.rotate.map((dashboard) => ({ dashboard, dwellS: kiosk.dwellS }));
  } else if (kiosk.playlist) {
    const id = kiosk.playlist;
    boards
      .loadList()
      .then((list) => {
        const found = list.playlists.find((p) => p.id === id);
        if (!found) throw new Error(`no playlist ${id}`);
        items.value = found.items;
        name.value = label(found.title);
      })
      .catch((err: unknown) => {
        // A wrong or unreachable playlist still leaves a working wall: the URL's dashboard.
        console.warn('playlist unavailable; showing one dashboard', err);
        boards.show(kiosk.dashboard);
      });
  } else boards.show(kiosk.dashboard);

  const institutes = computed(() => (net.network?.nodes ?? []).filter((n) => n.level === 'institute').map((n) => n.id));
  const entries = computed(() => expandPlaylist(items.value, institutes.value));
  const meeting = useMeetingStore();
  // Emergency mode or a meeting tablet shows something else meanwhile: the rotation resumes where it was.
  const held = computed(() => boards.emergency.active || meeting.view !== null);
  const playlist = usePlaylist(entries, held, useNow());

  watch(playlist.current, (entry) => {
    if (!entry) return;
    boards.show(entry.dashboard);
    if (entry.scope) scope.drill(entry.scope);
    else scope.reset();
  });
  // Fetch every dashboard of the rotation up front, so a switch never waits on the network.
  watch(entries, (list) => new Set(list.map((e) => e.dashboard)).forEach((id) => void boards.ensure(id)));

  const onKey = (event: KeyboardEvent) => {
    if (event.code !== 'Space' || entries.value.length < 2) return;
    event.preventDefault();
    playlist.toggle();
  };
  window.addEventListener('keydown', onKey);
  onScopeDispose(() => window.removeEventListener('keydown', onKey));

  return {
    active: computed(() => entries.value.length > 1),
    name: computed(() => name.value || label(boards.current?.title)),
    index: playlist.index,
    total: computed(() => entries.value.length),
    remainingS: playlist.remainingS,
    paused: playlist.paused,
    toggle: playlist.toggle,
  };
}
