/**
 * Meeting control as a wall sees it: whether its screen group is driven from a tablet, by whom (the
 * role, never a name) and what the tablet shows (shared/meeting.ts's WallMeeting, `live:meeting`).
 * The server tells a wall of a group on every connect and on every change; a repeat of the version
 * the wall already follows changes nothing (a drill or a replay's end reconnects the socket).
 * The wall's parts read `view`: the page's dashboard and scope (useMeetingFollow), the panels'
 * switches (useCycle's `forced`), the map's card and heat.
 */
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { WallMeeting } from '../../shared/meeting';
import { liveSocket, type LiveSocket } from '../socket';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export const useMeetingStore = defineStore('meeting', () => {
  const state = shallowRef<WallMeeting | null>(null);
  const driven = computed(() => state.value?.driven ?? null);
  /** What the tablet shows; null while the group is free (the wall's own playlist runs). */
  const view = computed(() => (state.value?.driven ? state.value.view : null));

  function apply(next: WallMeeting): void {
    const was = state.value;
    // The same hold again (a reconnect); a freed and re-taken group counts its versions from 1 again, so the view too.
    if (was?.group === next.group && was.version === next.version && same(was.view, next.view)) return;
    state.value = next;
  }

  /** Binds `live:meeting`; answers the unbinding function. */
  function bind(target: LiveSocket = liveSocket): () => void {
    target.on('live:meeting', apply);
    return () => target.off('live:meeting', apply);
  }

  return { state, driven, view, apply, bind };
});
