/**
 * The kiosk URL of a wall screen: which dashboard, or which rotation. Pure, so the rules are
 * tested without a browser.
 *   ?dashboard=leadership            one dashboard (default command-center)
 *   ?playlist=towns                  a playlist of dashboards/playlists.json
 *   ?rotate=command-center,leadership&dwell=30   an ad-hoc rotation, dwell seconds per item
 *   ?dashboards=command-center,leadership,evaluation   two to four side by side (a spliced wall)
 * `?scope=I03` (the scope store reads it) gives the scope of a single dashboard.
 */
export const DEFAULT_DASHBOARD = 'command-center';
const ID = /^[a-z0-9-]{1,40}$/;
const DEFAULT_DWELL_S = 30;
/** Side by side: more than four would leave each too narrow on any wall built so far. */
const MAX_BESIDE = 4;

export interface Kiosk {
  dashboard: string;
  playlist: string | null;
  rotate: string[] | null;
  dwellS: number;
  /** Dashboards shown side by side on one surface, left to right; null for one. */
  beside: string[] | null;
}

const ids = (value: string | null): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => ID.test(s));

export function parseKiosk(search: string): Kiosk {
  const q = new URLSearchParams(search);
  const dashboard = q.get('dashboard') ?? '';
  const playlist = q.get('playlist') ?? '';
  const rotate = ids(q.get('rotate'));
  const beside = ids(q.get('dashboards')).slice(0, MAX_BESIDE);
  const dwell = Number(q.get('dwell'));
  return {
    dashboard: ID.test(dashboard) ? dashboard : DEFAULT_DASHBOARD,
    playlist: ID.test(playlist) ? playlist : null,
    rotate: rotate.length > 0 ? rotate : null,
    dwellS: Number.isInteger(dwell) && dwell >= 5 && dwell <= 3600 ? dwell : DEFAULT_DWELL_S,
    beside: beside.length > 1 ? beside : null,
  };
}
