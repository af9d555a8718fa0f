/**
 * The tracking link `PUBLIC_URL/t#<token>`: the token in the fragment, which a browser never sends
 * (no request line, access log or Referer holds it). The phone keeps its last few links so a
 * citizen who closed the page finds their order again from the node's page.
 */
import { TRACK_PATH } from '../../shared/public';

const KEY = 'wmsj.trackLinks';
const KEPT = 5;

export const trackLink = (publicUrl: string | null, token: string): string =>
  `${(publicUrl ?? window.location.origin).replace(/\/+$/, '')}${TRACK_PATH}#${token}`;

export function rememberToken(token: string): void {
  const kept = savedTokens().filter((t) => t !== token);
  window.localStorage.setItem(KEY, JSON.stringify([token, ...kept].slice(0, KEPT)));
}

export function savedTokens(): string[] {
  try {
    const value: unknown = JSON.parse(window.localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}
