/**
 * The kiosk URL of a wall screen: which dashboard, or which rotation. Pure, so the rules are
 * tested without a browser.
 *   ?dashboard=leadership            one dashboard (default command-center)
 *   ?playlist=towns                  a playlist of dashboards/playlists.json
 *   ?rotate=command-center,leadership&dwell=30   an ad-hoc rotation, dwell seconds per item
 * `?scope=I03` (the scope store reads it) gives the scope of a single dashboard.
 */
export const DEFAULT_DASHBOARD = 'command-center';
const ID = /^[a-z0-9-]{1,40}$/;
const DEFAULT_DWELL_S = 30;

export interface Kiosk {
  dashboard: string;
  playlist: string | null;
  rotate: string[] | null;
  dwellS: number;
}

export function parseKiosk(search: string): Kiosk {
  const q = new URLSearchParams(search);
  const dashboard = q.get('dashboard') ?? '';
  const playlist = q.get('playlist') ?? '';
  const rotate = (q.get('rotate') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => ID.test(s));
  const dwell = Number(q.get('dwell'));
  return {
    dashboard: ID.test(dashboard) ? dashboard : DEFAULT_DASHBOARD,
    playlist: ID.test(playlist) ? playlist : null,
    rotate: rotate.length > 0 ? rotate : null,
    dwellS: Number.isInteger(dwell) && dwell >= 5 && dwell <= 3600 ? dwell : DEFAULT_DWELL_S,
  };
}
