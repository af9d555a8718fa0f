import { describe, expect, it } from 'vitest';
import { coverageShare, coveredFlags, gridCell, haversineM, siteIndex, type LatLon } from '../../shared/coverage.js';
import { createRng } from '../../shared/random.js';

describe('haversineM', () => {
  it('measures a degree of latitude as about 111.2 km and a point to itself as 0', () => {
    expect(haversineM({ lat: 30, lon: 104 }, { lat: 31, lon: 104 })).toBeCloseTo(111_195, -1);
    expect(haversineM({ lat: 30.5, lon: 103.9 }, { lat: 30.5, lon: 103.9 })).toBe(0);
  });
  it('shrinks a degree of longitude by cos(latitude)', () => {
    const d = haversineM({ lat: 30, lon: 104 }, { lat: 30, lon: 105 });
    expect(d / 111_195).toBeCloseTo(Math.cos((30 * Math.PI) / 180), 3);
  });
});

describe('siteIndex', () => {
  const site = { lat: 30.5, lon: 103.9 };
  const north = (m: number): LatLon => ({ lat: site.lat + m / 111_195, lon: site.lon });
  const east = (m: number): LatLon => ({
    lat: site.lat,
    lon: site.lon + m / (111_195 * Math.cos((30.5 * Math.PI) / 180)),
  });

  it('covers up to the radius and not beyond, in any direction', () => {
    const index = siteIndex([site], 500);
    expect(index.covers(north(499))).toBe(true);
    expect(index.covers(north(501))).toBe(false);
    expect(index.covers(east(499))).toBe(true);
    expect(index.covers(east(501))).toBe(false);
  });

  it('finds a site across a grid cell border', () => {
    // Sites placed just either side of cell borders: the neighbour cells must be searched.
    const sites = Array.from({ length: 50 }, (_, i) => ({ lat: 30.5 + i * 0.0045, lon: 103.9 + i * 0.0052 }));
    const index = siteIndex(sites, 500);
    for (const s of sites) expect(index.covers({ lat: s.lat + 0.004, lon: s.lon })).toBe(true);
  });

  it('agrees with a brute-force scan on random sites and points', () => {
    const rng = createRng(7);
    const rand = (): LatLon => ({ lat: 30.3 + rng.next() * 0.4, lon: 103.7 + rng.next() * 0.4 });
    const sites = Array.from({ length: 469 }, rand);
    const points = Array.from({ length: 5_000 }, rand);
    const brute = points.map((p) => sites.some((s) => haversineM(p, s) <= 500));
    expect(coveredFlags(points, sites, 500)).toEqual(brute);
  });

  it('returns the nearest site within the radius, or -1', () => {
    const index = siteIndex([north(300), north(-100)], 500);
    expect(index.nearestWithin(site)).toBe(1);
    expect(siteIndex([north(900)], 500).nearestWithin(site)).toBe(-1);
  });
});

describe('coverageShare and gridCell', () => {
  it('reports an empty sample as 0', () => {
    expect(coverageShare({ total: 0, covered: 0 })).toBe(0);
    expect(coverageShare({ total: 8, covered: 6 })).toBe(0.75);
  });
  it('snaps nearby points to one cell centre and far ones to another', () => {
    const a = gridCell({ lat: 30.50001, lon: 103.90001 }, 300, 30.5);
    expect(gridCell({ lat: 30.50002, lon: 103.90003 }, 300, 30.5)).toEqual(a);
    expect(gridCell({ lat: 30.51, lon: 103.9 }, 300, 30.5)).not.toEqual(a);
  });
});
