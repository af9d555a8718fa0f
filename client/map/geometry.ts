/** Pure GeoJSON helpers for the map: where to put a town's label. */
import type { Feature, Geometry, Position } from 'geojson';

/** The network passes GeoJSON through as `unknown[]`; keep the features that have a polygon. */
export function polygonFeatures(features: readonly unknown[]): Feature<Geometry, Record<string, unknown>>[] {
  return features.filter((f): f is Feature<Geometry, Record<string, unknown>> => {
    if (typeof f !== 'object' || f === null) return false;
    const g = (f as { geometry?: { type?: unknown } }).geometry;
    return g?.type === 'Polygon' || g?.type === 'MultiPolygon';
  });
}

/** Signed area and centroid of one ring (shoelace), in lon/lat degrees — fine at county scale. */
function ringCentroid(ring: readonly Position[]): { area: number; lon: number; lat: number } {
  let area = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
    const [x0 = 0, y0 = 0] = ring[j] ?? [];
    const [x1 = 0, y1 = 0] = ring[i] ?? [];
    const cross = x0 * y1 - x1 * y0;
    area += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  if (area === 0) return { area: 0, lon: ring[0]?.[0] ?? 0, lat: ring[0]?.[1] ?? 0 };
  return { area: Math.abs(area / 2), lon: cx / (3 * area), lat: cy / (3 * area) };
}

/** Label point of a (multi)polygon: the centroid of its largest outer ring, as [lat, lon]. */
export function labelPoint(geometry: Geometry): [number, number] | null {
  const outers: Position[][] =
    geometry.type === 'Polygon'
      ? geometry.coordinates.slice(0, 1)
      : geometry.type === 'MultiPolygon'
        ? geometry.coordinates.map((p) => p[0] ?? [])
        : [];
  let best: { area: number; lon: number; lat: number } | null = null;
  for (const ring of outers) {
    const c = ringCentroid(ring);
    if (!best || c.area > best.area) best = c;
  }
  return best ? [best.lat, best.lon] : null;
}

/** The same geometry moved by `dLat` degrees: the map's "extruded" shadow under the outline. */
export function shiftLat<G extends Geometry>(geometry: G, dLat: number): G {
  const move = (p: Position): Position => [p[0] ?? 0, (p[1] ?? 0) + dLat];
  if (geometry.type === 'Polygon') return { ...geometry, coordinates: geometry.coordinates.map((r) => r.map(move)) };
  if (geometry.type === 'MultiPolygon') {
    return { ...geometry, coordinates: geometry.coordinates.map((p) => p.map((r) => r.map(move))) };
  }
  // Only areas get a shadow; anything else is passed through unchanged.
  return geometry;
}
