import { describe, expect, it } from 'vitest';
import { inMultiPolygon, inPolygon, localPlane, type Polygon, type Ring } from '../../shared/geometry.js';

const square = (x0: number, y0: number, size: number): Ring => [
  [x0, y0],
  [x0 + size, y0],
  [x0 + size, y0 + size],
  [x0, y0 + size],
  [x0, y0],
];

describe('inPolygon', () => {
  const withHole: Polygon = [square(0, 0, 10), square(4, 4, 2)];
  it('counts a hole as outside', () => {
    expect(inPolygon([1, 1], withHole)).toBe(true);
    expect(inPolygon([5, 5], withHole)).toBe(false);
    expect(inPolygon([11, 5], withHole)).toBe(false);
  });
  it('accepts a point in any polygon of a MultiPolygon', () => {
    expect(inMultiPolygon([21, 1], [withHole, [square(20, 0, 2)]])).toBe(true);
    expect(inMultiPolygon([15, 1], [withHole, [square(20, 0, 2)]])).toBe(false);
  });
});

describe('clipToBisector', () => {
  const plane = localPlane(0);
  // A U open to the top: the cut y = 5 (bisector of (0,0) and (0,10)) leaves the base, one piece;
  // the cut y = 5 kept from above leaves the two arms as two separate rings, not joined by a sliver.
  const u: Ring = [
    [0, 0],
    [9, 0],
    [9, 9],
    [6, 9],
    [6, 3],
    [3, 3],
    [3, 9],
    [0, 9],
    [0, 0],
  ];
  it('keeps the side nearer the kept site', () => {
    const below = plane.clipToBisector(u, [0, 0], [0, 10]);
    expect(below).toHaveLength(1);
    expect(below[0]?.every(([, y]) => y <= 5 + 1e-9)).toBe(true);
  });
  it('splits a concave ring into one ring per piece', () => {
    const above = plane.clipToBisector(u, [0, 10], [0, 0]);
    expect(above).toHaveLength(2);
    for (const ring of above) {
      expect(ring[0]).toEqual(ring.at(-1));
      expect(ring.every(([, y]) => y >= 5 - 1e-9)).toBe(true);
    }
  });
  it('returns the ring whole or nothing when the cut misses it', () => {
    expect(plane.clipToBisector(u, [0, -20], [0, 40])).toEqual([u]);
    expect(plane.clipToBisector(u, [0, 40], [0, -20])).toEqual([]);
  });
});
