/**
 * The address a wall screen is opened with: its dashboard and a town token's scope as kiosk
 * parameters, and its token in the fragment (`#token=…`, never sent to a server or a proxy's log),
 * which client/auth.ts adopts at boot and then drops from the address bar. The scope is spelled out because a town's dashboard opened without one starts on
 * the network's first town, which a token of another town may not watch.
 */
import type { TOKEN_PARAM, TokenInfo } from '../../shared/auth';

const PARAM: typeof TOKEN_PARAM = 'token';

export function screenLink(origin: string, token: string, info: Pick<TokenInfo, 'scope' | 'dashboard'>): string {
  const url = new URL('/', origin);
  if (info.dashboard) url.searchParams.set('dashboard', info.dashboard);
  if (info.scope !== 'district') url.searchParams.set('scope', info.scope);
  url.hash = new URLSearchParams({ [PARAM]: token }).toString();
  return url.toString();
}
