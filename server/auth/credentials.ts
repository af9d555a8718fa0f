/** Reading credentials off the wire: the bearer header, a socket handshake, the signed session cookie. */
import { SESSION_COOKIE } from '../../shared/auth.js';
import type { Credentials } from './service.js';

export function bearer(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m?.[1] ?? null;
}

/** Checks a cookie's signature: the signed value, or null when it was tampered with or signed by another secret. */
export type Unsign = (signed: string) => { valid: boolean; value: string | null };

export interface Handshake {
  auth: Record<string, unknown>;
  headers: { authorization?: string | undefined; cookie?: string | undefined };
}

export function sessionIdFrom(cookies: Record<string, string | undefined>, unsign: Unsign): string | null {
  const signed = cookies[SESSION_COOKIE];
  if (!signed) return null;
  const { valid, value } = unsign(signed);
  return valid ? value : null;
}

/**
 * A socket's credentials: `auth.token` (a wall or device), else an `Authorization` header (Node
 * clients), else the session cookie the browser sent with the upgrade request.
 */
export function handshakeCredentials(
  handshake: Handshake,
  parseCookie: (header: string) => Record<string, string | undefined>,
  unsign: Unsign,
): Credentials {
  const given = handshake.auth['token'];
  const token = typeof given === 'string' && given !== '' ? given : bearer(handshake.headers.authorization);
  return { token, sessionId: sessionIdFrom(parseCookie(handshake.headers.cookie ?? ''), unsign) };
}
