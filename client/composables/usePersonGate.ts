/**
 * The gate of a page for people (the dispatch console, the admin console): asks the server who is
 * calling, then offers the login form, says the account may not enter here, or lets it in. Only the
 * session cookie: a wall token left in this browser's storage must not stand in for a person.
 */
import { onMounted, ref, shallowRef } from 'vue';
import { hasRole, type Principal, type Role } from '../../shared/auth';

export type Gate = 'loading' | 'login' | 'forbidden' | 'ready' | 'error';

export function usePersonGate(roles: readonly Role[], onReady: (me: Principal) => void | Promise<void>) {
  const gate = ref<Gate>('loading');
  const me = shallowRef<Principal | null>(null);

  onMounted(async () => {
    const res = await fetch('/api/auth/me', { headers: { accept: 'application/json' } }).catch(() => null);
    if (!res) return void (gate.value = 'error');
    if (res.status === 401) return void (gate.value = 'login');
    if (!res.ok) return void (gate.value = 'error');
    const principal = (await res.json()) as Principal;
    me.value = principal;
    if (!hasRole(principal, roles)) return void (gate.value = 'forbidden');
    gate.value = 'ready';
    await onReady(principal);
  });

  async function logout(): Promise<void> {
    await fetch('/api/auth/logout', { method: 'POST' }).catch(() => null);
    window.location.reload();
  }

  return { gate, me, logout };
}
