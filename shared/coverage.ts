/**
 * "500米新时代文明实践圈": is a resident within walking distance of a practice site? Pure geometry, no
 * I/O. Sites go into a grid of cells one radius wide, so a point only measures the sites of its
 * own and the eight neighbouring cells: 469 sites × tens of thousands of points stays linear.
 */

/** Metres per degree of latitude on the mean Earth sphere (R = 6,371,008.8 m). */
const EARTH_R = 6_371_008.8;
const M_PER_DEG_LAT = (Math.PI / 180) * EARTH_R;

export interface LatLon {
  lat: number;
  lon: number;
}

/** Great-circle distance in metres (haversine). */
export function haversineM(a: LatLon, b: LatLon): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_R * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface SiteIndex {
  readonly radiusM: number;
  /** The nearest site within the radius (its index in the list given), or -1. */
  nearestWithin(p: LatLon): number;
  covers(p: LatLon): boolean;
}

/**
 * A grid over the sites with cells at least `radiusM` on each side at the sites' most poleward
 * latitude, so every site within the radius of a point lies in the point's cell or a neighbour.
 */
export function siteIndex(sites: readonly LatLon[], radiusM: number): SiteIndex {
  const maxAbsLat = sites.reduce((m, s) => Math.max(m, Math.abs(s.lat)), 0);
  const cellLat = radiusM / M_PER_DEG_LAT;
  // A degree of longitude shrinks toward the poles: size the cell where it is narrowest.
  const cellLon = cellLat / Math.max(Math.cos(Math.min(maxAbsLat + cellLat, 89) * (Math.PI / 180)), 1e-6);
  const key = (x: number, y: number): string => `${x}:${y}`;
  const cells = new Map<string, number[]>();
  sites.forEach((s, i) => {
    const k = key(Math.floor(s.lon / cellLon), Math.floor(s.lat / cellLat));
    const list = cells.get(k);
    if (list) list.push(i);
    else cells.set(k, [i]);
  });

  function nearestWithin(p: LatLon): number {
    const cx = Math.floor(p.lon / cellLon);
    const cy = Math.floor(p.lat / cellLat);
    let best = -1;
    let bestD = radiusM;
    for (let dx = -1; dx <= 1; dx += 1) {
      for (let dy = -1; dy <= 1; dy += 1) {
        for (const i of cells.get(key(cx + dx, cy + dy)) ?? []) {
          const site = sites[i];
          if (!site) continue;
          const d = haversineM(p, site);
          if (d <= bestD) [best, bestD] = [i, d];
        }
      }
    }
    return best;
  }
  return { radiusM, nearestWithin, covers: (p) => nearestWithin(p) >= 0 };
}

export interface CoverageCount {
  total: number;
  covered: number;
}

/** Share covered in [0, 1]; an empty sample is reported as 0, not NaN. */
export function coverageShare(count: CoverageCount): number {
  return count.total === 0 ? 0 : count.covered / count.total;
}

/** One flag per point: within `radiusM` of any site. */
export function coveredFlags(points: readonly LatLon[], sites: readonly LatLon[], radiusM: number): boolean[] {
  const index = siteIndex(sites, radiusM);
  return points.map((p) => index.covers(p));
}

/** A point's cell on a coarse grid of `cellM` metres (at latitude `refLat`): the uncovered areas' layer. */
export function gridCell(p: LatLon, cellM: number, refLat: number): LatLon {
  const dLat = cellM / M_PER_DEG_LAT;
  const dLon = dLat / Math.cos(refLat * (Math.PI / 180));
  const snap = (v: number, step: number): number => Math.round((Math.floor(v / step) + 0.5) * step * 1e5) / 1e5;
  return { lat: snap(p.lat, dLat), lon: snap(p.lon, dLon) };
}
