/**
 * A county's outline file: a GeoJSON FeatureCollection (or one Feature) of Polygon / MultiPolygon
 * features, read into one MultiPolygon. Parts far outside the main body are dropped and named in
 * `warnings` (a stray speck in the source pulls the map and the generator off the county).
 */
import { localPlane, mainBody, type MultiPolygon, type Polygon } from './geometry.js';
import type { FeatureCollection } from './network.js';

export interface Outline {
  /** As the map draws it: the first feature, carrying every kept part. */
  collection: FeatureCollection;
  shape: MultiPolygon;
  /** Parts dropped as strays, for the caller to warn about. */
  warnings: string[];
}

/** A part of an outline farther than this from its main body is dropped as a stray (see mainBody). */
const STRAY_PART_M = 20_000;

interface Feature {
  type: 'Feature';
  geometry: { type: string; coordinates: unknown };
}

const isPosition = (p: unknown): boolean =>
  Array.isArray(p) && p.length >= 2 && p.slice(0, 2).every((v) => typeof v === 'number' && Number.isFinite(v));
const isRing = (r: unknown): boolean => Array.isArray(r) && r.length >= 4 && r.every(isPosition);
const isPolygon = (p: unknown): p is Polygon => Array.isArray(p) && p.length >= 1 && p.every(isRing);

/** The outline, or why it cannot be one. `refLat` sets the plane the stray check measures in. */
export function readOutline(file: string, data: unknown, refLat: number): Outline | { problems: string[] } {
  const top = data as { type?: unknown; features?: unknown } | null;
  const features =
    top?.type === 'FeatureCollection' && Array.isArray(top.features)
      ? (top.features as unknown[])
      : top?.type === 'Feature'
        ? [top]
        : null;
  if (!features || features.length === 0) {
    return { problems: [`${file}: must be a GeoJSON FeatureCollection with the county's Polygon or MultiPolygon`] };
  }
  const problems: string[] = [];
  const parts: MultiPolygon = [];
  features.forEach((f, i) => {
    const geometry = (f as Partial<Feature> | null)?.geometry;
    const coordinates = geometry?.coordinates;
    if (geometry?.type === 'Polygon' && isPolygon(coordinates)) parts.push(coordinates);
    else if (geometry?.type === 'MultiPolygon' && Array.isArray(coordinates) && coordinates.every(isPolygon)) {
      parts.push(...coordinates);
    } else {
      problems.push(
        `${file} feature #${i + 1}: geometry must be a Polygon or MultiPolygon of [lon, lat] rings (4 positions or more)`,
      );
    }
  });
  if (problems.length > 0) return { problems };
  const shape2d = parts.map((polygon) => polygon.map((ring) => ring.map(([x, y]) => [x, y] as [number, number])));
  const { kept: shape, dropped } = mainBody(shape2d, localPlane(refLat), STRAY_PART_M);
  const warnings = dropped.map(
    (p) =>
      `${file}: a part of ${p[0]?.length ?? 0} points near ${JSON.stringify(p[0]?.[0])} is more than ${STRAY_PART_M / 1000} km from the county: dropped`,
  );
  const first = features[0] as Feature;
  const cleaned = { ...first, geometry: { type: 'MultiPolygon', coordinates: shape } };
  const collection =
    top?.type === 'FeatureCollection'
      ? { ...(top as FeatureCollection), features: [cleaned] }
      : { type: 'FeatureCollection' as const, features: [cleaned] };
  return { collection, shape, warnings };
}
