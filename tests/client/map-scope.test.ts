import { describe, expect, it } from 'vitest';
import type { NetworkNode } from '../../shared/network.js';
import { placeCard, overlaps } from '../../client/map/popupPlace.js';
import { coverageScope, neighbourhoodBox, scopeLevelCounts, unitRows } from '../../client/map/scopeSummary.js';

const node = (
  id: string,
  level: NetworkNode['level'],
  parentId: string | null,
  instituteId: string | null,
  lat = 30.5,
  lon = 103.9,
): NetworkNode => ({ id, level, name: `${id}新时代文明实践站`, parentId, instituteId, lat, lon, kind: null, code: id });

// Two towns: I01 with two stations (3 and 1 points) and a point of its own (5 points); I02 with one station.
const nodes = [
  node('C', 'center', null, null),
  node('I01', 'institute', 'C', 'I01'),
  node('I02', 'institute', 'C', 'I02', 30.6, 104.0),
  node('S1', 'station', 'I01', 'I01', 30.5, 103.9),
  node('S2', 'station', 'I01', 'I01', 30.51, 103.91),
  node('S3', 'station', 'I02', 'I02', 30.6, 104.0),
  node('P1', 'point', 'S1', 'I01', 30.5001, 103.9001),
  node('P2', 'point', 'S1', 'I01', 30.5002, 103.9002),
  node('P3', 'point', 'S1', 'I01', 30.5003, 103.9003),
  node('P4', 'point', 'S2', 'I01', 30.5101, 103.9101),
  node('P5', 'point', 'I01', 'I01', 30.502, 103.902),
  node('P6', 'point', 'S3', 'I02', 30.6001, 104.0001),
];
const byId = new Map(nodes.map((n) => [n.id, n]));
const at = (id: string) => byId.get(id);
const name = (id: string) => id;

describe('the legend at a scope', () => {
  it('counts the whole network at the district', () => {
    expect(scopeLevelCounts(nodes, at('C'))).toEqual({ center: 1, institute: 2, station: 3, point: 6 });
  });
  it('counts only the town inside a town, without the levels above it', () => {
    expect(scopeLevelCounts(nodes, at('I01'))).toEqual({ institute: 1, station: 2, point: 5 });
  });
  it('counts a station and its points, and a point alone', () => {
    expect(scopeLevelCounts(nodes, at('S1'))).toEqual({ station: 1, point: 3 });
    expect(scopeLevelCounts(nodes, at('P4'))).toEqual({ point: 1 });
  });
});

describe('the network bars at a scope', () => {
  it('ranks the towns by stations and points at the district', () => {
    const { rows, town, marked } = unitRows(nodes, byId, at('C'), name);
    expect(town).toBeNull();
    expect(marked).toBeNull();
    expect(rows.map((r) => [r.id, r.stations, r.points])).toEqual([
      ['I02', 1, 1],
      ['I01', 2, 5],
    ]);
  });
  it("lists a town's stations with their points, the town's own points as a row of its own", () => {
    const { rows, town } = unitRows(nodes, byId, at('I01'), name);
    expect(town?.id).toBe('I01');
    expect(rows.map((r) => [r.id, r.points])).toEqual([
      ['S2', 1],
      ['I01', 1],
      ['S1', 3],
    ]);
    expect(rows.every((r) => r.stations === 0)).toBe(true);
  });
  it("shows a station's or a point's town, the watched station marked", () => {
    expect(unitRows(nodes, byId, at('S2'), name)).toMatchObject({ town: { id: 'I01' }, marked: 'S2' });
    expect(unitRows(nodes, byId, at('P1'), name)).toMatchObject({ town: { id: 'I01' }, marked: 'S1' });
    expect(unitRows(nodes, byId, at('P6'), name).rows.map((r) => r.id)).toEqual(['S3']);
  });
});

describe('the 500 m card at a scope', () => {
  it("measures a point's station in its stead, and says so", () => {
    expect(coverageScope(byId, at('P1'))).toEqual({ id: 'S1', via: at('S1') });
    expect(coverageScope(byId, at('P5'))).toEqual({ id: 'I01', via: at('I01') });
  });
  it('measures a town or a station itself', () => {
    expect(coverageScope(byId, at('I01'))).toEqual({ id: 'I01', via: null });
    expect(coverageScope(byId, at('S1'))).toEqual({ id: 'S1', via: null });
  });
});

describe('the box the map frames at a point', () => {
  it('holds the point, its station and neighbours, at least the span asked for', () => {
    const [[s, w], [n, e]] = neighbourhoodBox(nodes, at('P1') as NetworkNode, 3, 3000);
    for (const id of ['P1', 'S1', 'P2', 'P3', 'P5']) {
      const p = at(id) as NetworkNode;
      expect(p.lat >= s && p.lat <= n && p.lon >= w && p.lon <= e).toBe(true);
    }
    expect((n - s) * 111_195).toBeGreaterThanOrEqual(2999);
    expect((e - w) * 111_195 * Math.cos((30.5 * Math.PI) / 180)).toBeGreaterThanOrEqual(2999);
  });
});

describe("the node card's place", () => {
  const map = { w: 1000, h: 700 };
  const card = { w: 380, h: 270 };
  // The 500 m and 实时状态 cards at the top right, the legend at the bottom left.
  const pinned = [
    { x: 700, y: 14, w: 286, h: 300 },
    { x: 20, y: 560, w: 270, h: 120 },
  ];
  it('opens beside a node away from the pinned cards', () => {
    const p = placeCard({ x: 200, y: 350 }, map, card, pinned);
    expect(p).toEqual({ x: 218, y: 215 });
  });
  it('never covers the status card for a node under it', () => {
    // The old placement (left of the node, centred on it) covered the status card's labels.
    for (const node of [
      { x: 820, y: 120 },
      { x: 900, y: 300 },
      { x: 650, y: 60 },
    ]) {
      const p = placeCard(node, map, card, pinned);
      const rect = { ...p, ...card };
      expect(pinned.some((r) => overlaps(rect, r))).toBe(false);
      expect(p.x >= 0 && p.y >= 0 && p.x + card.w <= map.w && p.y + card.h <= map.h).toBe(true);
    }
  });
});
