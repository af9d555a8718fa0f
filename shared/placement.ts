/**
 * Where generated sites go: uniform or clustered positions inside an outline, institutes spread
 * evenly (k-means), stations kept apart (best-candidate sampling). All draws come from one seeded Rng.
 */
import { bbox, inMultiPolygon, type MultiPolygon, type Plane, type Position } from './geometry.js';
import type { Rng } from './random.js';

const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;
const M_PER_DEG = 111_195;

export interface Sampler {
  /** Uniform inside the outline (rejection from its bounding box). */
  uniform(): Position;
  /** Gaussian scatter around a site (σ in metres), inside the outline and never on the site itself. */
  near(site: Position, sigmaM: number): Position;
}

export function createSampler(shape: MultiPolygon, rng: Rng, refLat: number): Sampler {
  const b = bbox(shape);
  const kx = Math.cos((refLat * Math.PI) / 180);
  const inside = (p: Position): boolean => inMultiPolygon(p, shape);
  return {
    uniform() {
      for (;;) {
        const x = b.minX + rng.next() * (b.maxX - b.minX);
        const p: Position = [round6(x), round6(b.minY + rng.next() * (b.maxY - b.minY))];
        if (inside(p)) return p;
      }
    },
    near([x, y], sigmaM) {
      // Narrowing on each miss, so a site hard against the border still converges.
      for (let sigma = sigmaM / M_PER_DEG; ; sigma *= 0.9) {
        const p: Position = [round6(x + (rng.normal() * sigma) / kx), round6(y + rng.normal() * sigma)];
        if (inside(p) && (p[0] !== x || p[1] !== y)) return p;
      }
    },
  };
}

/**
 * k sites spread evenly over an even cloud of inside positions: farthest-point seeds, then Lloyd
 * (k-means) iterations so every site gets a similar area.
 */
export function placeInstitutes(cloud: readonly Position[], k: number, plane: Plane, start: Position): Position[] {
  const sites: Position[] = [cloud[plane.nearest(start, cloud)] as Position];
  const minD = cloud.map((p) => plane.dist2(p, sites[0] as Position));
  while (sites.length < k) {
    const far = cloud[minD.indexOf(Math.max(...minD))] as Position;
    sites.push(far);
    cloud.forEach((p, i) => (minD[i] = Math.min(minD[i] ?? Infinity, plane.dist2(p, far))));
  }
  for (let iteration = 0; iteration < 20; iteration++) {
    const sums = sites.map(() => ({ x: 0, y: 0, n: 0 }));
    for (const p of cloud) {
      const s = sums[plane.nearest(p, sites)];
      if (s) [s.x, s.y, s.n] = [s.x + p[0], s.y + p[1], s.n + 1];
    }
    sums.forEach((s, i) => s.n > 0 && (sites[i] = [s.x / s.n, s.y / s.n]));
  }
  // A centroid of a concave cluster can fall outside the county; the nearest cloud position cannot.
  return sites.map((s) => cloud[plane.nearest(s, cloud)] as Position);
}

/**
 * n stations, each the best of a few candidates (Mitchell's best-candidate sampling) so they keep
 * apart; about a third of candidates cluster near town seats, where villages and communities crowd.
 */
export function placeStations(
  n: number,
  seats: readonly Position[],
  where: Sampler,
  rng: Rng,
  plane: Plane,
): Position[] {
  const out: Position[] = [];
  const gap = (p: Position): number => Math.min(...out.map((s) => plane.dist2(p, s)));
  while (out.length < n) {
    const candidates = Array.from({ length: 5 }, () =>
      rng.chance(0.35) ? where.near(rng.pick(seats), 2500) : where.uniform(),
    );
    out.push(candidates.reduce((best, p) => (gap(p) > gap(best) ? p : best)));
  }
  return out;
}
