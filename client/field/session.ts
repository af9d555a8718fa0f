/**
 * The volunteer's session on the phone: who is logged in (`/api/auth/me`), logging in by password
 * or SMS code, and out. Calls carry the session cookie only (personCall), never a wall token this
 * browser may hold.
 */
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { Principal } from '../../shared/auth';
import { personCall, type CallResult } from '../http';

export const useFieldSession = defineStore('fieldSession', () => {
  const me = shallowRef<Principal | null>(null);

  /** The volunteer behind the cookie, or null (nobody, or a person of another role). */
  async function check(): Promise<Principal | null> {
    const answer = await personCall<Principal>('GET', '/api/auth/me');
    me.value = answer.ok && answer.data.role === 'volunteer' ? answer.data : null;
    return me.value;
  }

  async function login(
    path: '/api/v1/field/login' | '/api/v1/field/sms/login',
    body: unknown,
  ): Promise<CallResult<Principal>> {
    const answer = await personCall<Principal>('POST', path, body);
    if (answer.ok) me.value = answer.data;
    return answer;
  }

  async function logout(): Promise<void> {
    await personCall('POST', '/api/auth/logout');
    me.value = null;
  }

  return { me, check, login, logout };
});
