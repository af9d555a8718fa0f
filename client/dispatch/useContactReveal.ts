/**
 * A volunteer's full name and phone, on a dispatcher's explicit ask (PIPL): fetched on demand, never
 * stored, shown for a minute and then masked again. The server audits every ask; the console only
 * says so.
 */
import { onBeforeUnmount, ref, watch, type Ref } from 'vue';
import type { Contact } from '../../shared/dispatch';
import { getJson, HttpError } from '../http';

/** How long a revealed phone stays on screen. */
export const REVEAL_MS = 60_000;

export type RevealState =
  { kind: 'hidden' } | { kind: 'loading' } | { kind: 'shown'; contact: Contact } | { kind: 'refused'; status: number };

/** `subjectPath`: the API path of the person now in view (`volunteers/V…`), or null when none. */
export function useContactReveal(subjectPath: Ref<string | null>) {
  const state = ref<RevealState>({ kind: 'hidden' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;

  function hide(): void {
    clearTimeout(timer);
    asked += 1;
    state.value = { kind: 'hidden' };
  }

  async function reveal(): Promise<void> {
    const path = subjectPath.value;
    if (path === null) return;
    hide();
    const ask = asked;
    state.value = { kind: 'loading' };
    try {
      const contact = await getJson<Contact>(`/api/v1/${path}/contact`);
      // Another order was selected meanwhile: its person is not this one.
      if (ask !== asked) return;
      state.value = { kind: 'shown', contact };
      timer = setTimeout(hide, REVEAL_MS);
    } catch (err) {
      if (ask === asked) state.value = { kind: 'refused', status: err instanceof HttpError ? err.status : 0 };
    }
  }

  watch(subjectPath, hide);
  onBeforeUnmount(() => clearTimeout(timer));
  return { state, reveal, hide };
}
