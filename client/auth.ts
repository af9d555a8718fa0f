/**
 * The wall's credential. A screen is opened once with `/#token=…` (the fragment never leaves the
 * browser, so the token is in no request line and no server or proxy log; `/?token=…` still works
 * for older kiosk links): the token moves into localStorage and out of the address bar (it would
 * otherwise show in screenshots and kiosk bars), and from then on travels as `Authorization: Bearer` on fetches and as the socket
 * handshake's `auth.token`. A reload, a restart of the server or of the browser keeps it. People
 * log in instead and carry the server's httpOnly session cookie, which the browser sends itself.
 */
import type { AuthCode, TOKEN_PARAM } from '../shared/auth';

const STORAGE_KEY = 'wmsj.wallToken';
// Checked against the shared constants' types: a renamed parameter or code fails the type check.
const PARAM: typeof TOKEN_PARAM = 'token';
const REFUSED: readonly AuthCode[] = ['AUTH_UNAUTHENTICATED', 'AUTH_FORBIDDEN'];

/** At boot: a token in the URL (fragment or query) replaces the stored one (a new token re-opens a screen). */
export function adoptUrlToken(): void {
  const url = new URL(window.location.href);
  const fragment = new URLSearchParams(url.hash.slice(1));
  const token = fragment.get(PARAM) ?? url.searchParams.get(PARAM);
  if (token === null) return;
  if (token !== '') window.localStorage.setItem(STORAGE_KEY, token);
  fragment.delete(PARAM);
  url.searchParams.delete(PARAM);
  url.hash = fragment.toString();
  window.history.replaceState(window.history.state, '', url);
}

export function wallToken(): string | null {
  return window.localStorage.getItem(STORAGE_KEY);
}

export function authHeaders(): Record<string, string> {
  const token = wallToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** The socket handshake's `auth`, read at every (re)connect so a newly stored token is used. */
export function socketAuth(cb: (data: Record<string, string>) => void): void {
  const token = wallToken();
  cb(token ? { token } : {});
}

/** Did the server refuse this caller (as opposed to being unreachable)? From a socket `connect_error`. */
export function isAuthRefusal(err: Error & { data?: unknown }): boolean {
  const code = (err.data as { code?: unknown } | undefined)?.code;
  return REFUSED.some((c) => c === code);
}
