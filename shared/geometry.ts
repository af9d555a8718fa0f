/**
 * The little plane geometry the seed needs (point in polygon, nearest site, half-plane clipping),
 * written here rather than pulling in @turf/*: a county is a few dozen km across, so lon/lat
 * scaled by cos(latitude) is an accurate enough plane, and the algorithms are a few lines each.
 */

export type Position = [number, number]; // [lon, lat], GeoJSON order
export type Ring = Position[];
/** Outer ring first, then holes. */
export type Polygon = Ring[];
export type MultiPolygon = Polygon[];

/** Even-odd ray casting over every ring, so holes count as outside. */
export function inPolygon([x, y]: Position, polygon: Polygon): boolean {
  let inside = false;
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i] as Position;
      const [xj, yj] = ring[j] as Position;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

export function inMultiPolygon(p: Position, mp: MultiPolygon): boolean {
  return mp.some((polygon) => inPolygon(p, polygon));
}

export interface BBox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export function bbox(mp: MultiPolygon): BBox {
  const b = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (const [x, y] of mp.flatMap((polygon) => polygon[0] ?? [])) {
    b.minX = Math.min(b.minX, x);
    b.minY = Math.min(b.minY, y);
    b.maxX = Math.max(b.maxX, x);
    b.maxY = Math.max(b.maxY, y);
  }
  return b;
}

/**
 * A local plane at the county's latitude: x = lon·cos(refLat), y = lat. One fixed scale for the
 * whole county keeps "nearest institute" and the towns' bisector borders exactly the same partition.
 */
export interface Plane {
  /** Squared distance in plane units (degrees of latitude); only compared, never reported. */
  dist2(a: Position, b: Position): number;
  /** Metres between two positions. */
  distanceM(a: Position, b: Position): number;
  /** Index of the site nearest to p; a linear scan, since there are at most a few hundred sites. */
  nearest(p: Position, sites: readonly Position[]): number;
  /** The parts of a ring closer to `keep` than to `other` (see clipToBisector). */
  clipToBisector(ring: Ring, keep: Position, other: Position): Ring[];
}

export function localPlane(refLat: number): Plane {
  const kx = Math.cos((refLat * Math.PI) / 180);
  const dist2 = (a: Position, b: Position): number => ((a[0] - b[0]) * kx) ** 2 + (a[1] - b[1]) ** 2;
  return {
    dist2,
    distanceM: (a, b) => Math.sqrt(dist2(a, b)) * 111_195,
    nearest(p, sites) {
      let best = -1;
      let bestD = Infinity;
      sites.forEach((s, i) => {
        const d = dist2(p, s);
        if (d < bestD) [best, bestD] = [i, d];
      });
      return best;
    },
    clipToBisector(ring, keep, other) {
      const mid: Position = [(keep[0] + other[0]) / 2, (keep[1] + other[1]) / 2];
      const normal: Position = [(keep[0] - other[0]) * kx * kx, keep[1] - other[1]];
      return clipToLine(ring, mid, normal);
    },
  };
}

/**
 * Clips a simple ring to the half-plane {p : (p − origin)·normal ≥ 0}. Plain Sutherland–Hodgman
 * would join the pieces of a concave outline with slivers running along the cut; instead the
 * pieces are re-closed by pairing crossings along the cut line, which for a simple ring alternate
 * in/out of it — so the result is one closed ring per piece.
 */
function clipToLine(ring: Ring, origin: Position, normal: Position): Ring[] {
  const side = (p: Position): number => (p[0] - origin[0]) * normal[0] + (p[1] - origin[1]) * normal[1];
  const along = (p: Position): number => p[1] * normal[0] - p[0] * normal[1];
  const pts = ring.slice(0, -1); // GeoJSON rings repeat their first position at the end
  const inside = pts.map((p) => side(p) >= 0);
  if (inside.every(Boolean)) return [ring];
  if (!inside.some(Boolean)) return [];
  // Walk from an outside vertex so every inside run has an entry and an exit crossing.
  const start = inside.indexOf(false);
  const chains: { entry: Position; body: Position[]; exit: Position }[] = [];
  let open: { entry: Position; body: Position[] } | null = null;
  for (let s = 0; s < pts.length; s++) {
    const [i, j] = [(start + s) % pts.length, (start + s + 1) % pts.length];
    const [a, b] = [pts[i] as Position, pts[j] as Position];
    if (inside[i] !== inside[j]) {
      const t = side(a) / (side(a) - side(b));
      const x: Position = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
      if (inside[j]) open = { entry: x, body: [b] };
      else if (open) {
        chains.push({ ...open, exit: x });
        open = null;
      }
    } else if (inside[j] && open) open.body.push(b);
  }
  // Crossings sorted along the line pair up as the stretches of the cut that lie inside the ring.
  const ends = chains.flatMap((c, i) => [
    { at: along(c.entry), chain: i, isExit: false },
    { at: along(c.exit), chain: i, isExit: true },
  ]);
  ends.sort((p, q) => p.at - q.at);
  const nextChain = new Map<number, number>();
  for (let i = 0; i + 1 < ends.length; i += 2) {
    const [p, q] = [ends[i], ends[i + 1]];
    if (p && q) nextChain.set(p.isExit ? p.chain : q.chain, p.isExit ? q.chain : p.chain);
  }
  const used = new Set<number>();
  const rings: Ring[] = [];
  for (let i = 0; i < chains.length; i++) {
    const out: Ring = [];
    for (let c: number | undefined = i; c !== undefined && !used.has(c); c = nextChain.get(c)) {
      used.add(c);
      const chain = chains[c];
      if (chain) out.push(chain.entry, ...chain.body, chain.exit);
    }
    const first = out[0];
    if (first && out.length >= 3) rings.push([...out, first]);
  }
  return rings;
}

/**
 * The parts of a county outline that belong to its main body: the largest part, and every other
 * part within `maxM` metres of it (an exclave across a river stays). A part farther out is a stray
 * in the source data — Baokang's shipped file carried a 6-point speck 60 km east, which pushed the
 * county off-centre on the map and into the generator's bounding box — and is returned apart.
 */
export function mainBody(mp: MultiPolygon, plane: Plane, maxM: number): { kept: MultiPolygon; dropped: MultiPolygon } {
  const area = ([outer = []]: Polygon): number => {
    let a = 0;
    for (let i = 0, j = outer.length - 1; i < outer.length; j = i++) {
      const [[xi, yi], [xj, yj]] = [outer[i] as Position, outer[j] as Position];
      a += (xj + xi) * (yj - yi);
    }
    return Math.abs(a / 2);
  };
  const main = mp.reduce<Polygon | undefined>((best, p) => (best && area(best) >= area(p) ? best : p), undefined);
  const mainRing = main?.[0] ?? [];
  const near = (part: Polygon): boolean =>
    part === main || (part[0] ?? []).some((a) => mainRing.some((b) => plane.distanceM(a, b) <= maxM));
  return { kept: mp.filter(near), dropped: mp.filter((p) => !near(p)) };
}
