/**
 * When the export buttons show. A wall nobody touches shows none: they appear while someone is at
 * the screen — a pointer moved, a touch, a key — and go 20 s after the last; `?exports=show` keeps
 * them (a desk, the leaders' tablet), `?exports=off` never shows them. A public display never: it
 * may not export (the server refuses it, EXPORT_PUBLIC_DISPLAY).
 */
import { computed, ref, type ComputedRef } from 'vue';
import type { Principal } from '../../shared/auth';
import { useNow } from '../composables/useNow';
import { getJson } from '../http';

const IDLE_MS = 20_000;
const mode = new URLSearchParams(window.location.search).get('exports');
const attendedUntil = ref(0);
const allowed = ref(false);
let installed = false;

function install(): void {
  installed = true;
  const attend = () => (attendedUntil.value = Date.now() + IDLE_MS);
  for (const type of ['pointermove', 'pointerdown', 'keydown'] as const)
    window.addEventListener(type, attend, { passive: true, capture: true });
  void getJson<Principal>('/api/auth/me')
    .then((me) => (allowed.value = me.kind !== 'public'))
    .catch(() => (allowed.value = false));
}

export function useExportsShown(): ComputedRef<boolean> {
  if (!installed) install();
  const now = useNow();
  return computed(() => {
    if (mode === 'off' || !allowed.value) return false;
    return mode === 'show' || now.value < attendedUntil.value;
  });
}
