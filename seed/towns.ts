/**
 * Generated town (镇/街道) areas: the Voronoi cell of each institute clipped to the real outline.
 * Real town borders are not in the shipped data, and the cells partition the county exactly as
 * "nearest institute" assigns stations, so map areas and the tree agree.
 */
import type { FeatureCollection } from '../shared/network.js';
import type { MultiPolygon, Plane, Position, Ring } from '../shared/geometry.js';

export interface TownSite {
  instituteId: string;
  /** The town's name (东升街道), not the institute's. */
  name: string;
  at: Position;
}

/** ~1 m; keeps the towns layer small on the wire. */
const round5 = (v: number): number => Math.round(v * 1e5) / 1e5;

/**
 * One MultiPolygon feature per institute. Only outer rings are clipped: the shipped outlines have
 * no holes, and a hole cut by a border would stop being a hole.
 */
export function buildTowns(shape: MultiPolygon, sites: readonly TownSite[], plane: Plane): FeatureCollection {
  const outers = shape.map((polygon) => polygon[0]).filter((ring): ring is Ring => ring !== undefined);
  const features = sites.map((site) => {
    let pieces = outers;
    for (const other of sites) {
      if (other !== site) pieces = pieces.flatMap((ring) => plane.clipToBisector(ring, site.at, other.at));
    }
    const coordinates = pieces.map((ring) => [dedupe(ring.map(([x, y]): Position => [round5(x), round5(y)]))]);
    return {
      type: 'Feature',
      properties: { instituteId: site.instituteId, name: site.name },
      geometry: { type: 'MultiPolygon', coordinates },
    };
  });
  return { type: 'FeatureCollection', features };
}

/** Drops consecutive repeats left by rounding or by a cut through a vertex. */
function dedupe(ring: Ring): Ring {
  return ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1]?.[0] || p[1] !== ring[i - 1]?.[1]);
}
