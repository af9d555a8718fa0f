/**
 * Sampled residential points for the "500米文明实践圈" coverage: where people live, generated from
 * the town areas and the network itself (no census in the shipped data). Deterministic: the same
 * network always gives the same sample, so the coverage figure does not wobble between restarts.
 *
 * Density by town: a 街道 (urban street) is denser than a 镇, and a town with more 站/点 has more
 * people (sites were placed where villages and communities are). Inside a town, most people live
 * around the villages and communities (its stations), some around the town seat, the rest spread.
 */
import type { Network, NetworkNode } from './network.js';
import { localPlane, type MultiPolygon, type Position } from './geometry.js';
import { createSampler } from './placement.js';
import { createRng, hashSeed } from './random.js';

export interface Resident {
  lat: number;
  lon: number;
  /** The town's 所. */
  instituteId: string;
  /** The nearest 站 of that town: the village or community the resident belongs to. */
  stationId: string | null;
}

export const RESIDENT_SAMPLE = 20_000;
const URBAN_WEIGHT = 3;
/** Share of residents around stations (villages, communities), around the town seat, and spread. */
const MIX = { station: 0.55, seat: 0.15 } as const;

interface Town {
  instituteId: string;
  name: string;
  shape: MultiPolygon;
}

function townsOf(network: Network): Town[] {
  const out: Town[] = [];
  for (const f of network.towns.features) {
    const feature = f as { properties?: Record<string, unknown>; geometry?: { type?: string; coordinates?: unknown } };
    const id = feature.properties?.['instituteId'];
    const name = feature.properties?.['name'];
    const g = feature.geometry;
    if (typeof id !== 'string' || !g) continue;
    const shape = (
      g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : []
    ) as MultiPolygon;
    out.push({ instituteId: id, name: typeof name === 'string' ? name : '', shape });
  }
  return out;
}

/** Residents per town, proportional to its weight; rounding leftovers go to the heaviest towns. */
export function allocate(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (w / sum) * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    left -= 1;
  }
  return counts;
}

export function sampleResidents(network: Network, total = RESIDENT_SAMPLE): Resident[] {
  const refLat = network.county.center[1];
  const plane = localPlane(refLat);
  const towns = townsOf(network);
  const byTown = new Map<string, NetworkNode[]>();
  for (const n of network.nodes) {
    if (!n.instituteId) continue;
    byTown.set(n.instituteId, [...(byTown.get(n.instituteId) ?? []), n]);
  }
  const weights = towns.map(
    (t) => (byTown.get(t.instituteId)?.length ?? 1) * (t.name.endsWith('街道') ? URBAN_WEIGHT : 1),
  );
  const counts = allocate(weights, total);
  const out: Resident[] = [];
  towns.forEach((town, ti) => {
    // One stream per town: a change in one town's shape leaves the others' samples alone.
    const rng = createRng(hashSeed(0x5e51d, ti, Math.round(refLat * 1e4)));
    const where = createSampler(town.shape, rng, refLat);
    const nodes = byTown.get(town.instituteId) ?? [];
    const stations = nodes.filter((n) => n.level === 'station');
    const stationAt = stations.map((s): Position => [s.lon, s.lat]);
    const seat = nodes.find((n) => n.level === 'institute');
    for (let i = 0; i < (counts[ti] ?? 0); i += 1) {
      const u = rng.next();
      let p: Position;
      if (u < MIX.station && stationAt.length > 0) p = where.near(rng.pick(stationAt), 700);
      else if (u < MIX.station + MIX.seat && seat) p = where.near([seat.lon, seat.lat], 1500);
      else p = where.uniform();
      const nearest = stationAt.length > 0 ? plane.nearest(p, stationAt) : -1;
      out.push({
        lat: p[1],
        lon: p[0],
        instituteId: town.instituteId,
        stationId: stations[nearest]?.id ?? null,
      });
    }
  });
  return out;
}
