/**
 * The tracking link `PUBLIC_URL/t#<token>`: the token in the fragment, which a browser never sends
 * (no request line, access log or Referer holds it). The phone keeps its last one, so a citizen
 * who closed the page finds their order again from any node's page.
 */
import { TRACK_PATH } from '../../shared/public';

const KEY = 'wmsj.trackToken';

export const trackLink = (publicUrl: string | null, token: string): string =>
  `${(publicUrl ?? window.location.origin).replace(/\/+$/, '')}${TRACK_PATH}#${token}`;

export function rememberToken(token: string): void {
  window.localStorage.setItem(KEY, token);
}

/** The phone's last tracking token, or null. */
export const lastToken = (): string | null => window.localStorage.getItem(KEY);
