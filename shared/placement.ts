/**
 * Where generated sites go: uniform or clustered positions inside an outline, all drawn from one
 * seeded Rng (generated 点 near their stations, sampled residents in their towns).
 */
import { bbox, inMultiPolygon, type MultiPolygon, type Position } from './geometry.js';
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
