import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { countByLevel, NetworkSchema, type NetworkNode } from '../../shared/network.js';
import { BUILT_IN_COUNTIES } from '../../shared/county-load.js';
import { loadCounty } from '../../seed/counties.js';
import { inMultiPolygon, localPlane, mainBody, type MultiPolygon, type Position } from '../../shared/geometry.js';
import { generateNetwork } from '../../seed/network.js';

type BuiltIn = (typeof BUILT_IN_COUNTIES)[number];
const EXPECTED: Record<BuiltIn, { adcode: string; levels: ReturnType<typeof countByLevel> }> = {
  shuangliu: { adcode: '510116', levels: { center: 1, institute: 9, station: 118, point: 341 } },
  baokang: { adcode: '420626', levels: { center: 1, institute: 11, station: 250, point: 98 } },
};
/**
 * SHA-256 (first 16 hex digits) of what the code before counties were data generated for each
 * built-in county (seed/network.ts at d7810c0, seed 20231): the shipped files must give the very
 * same network, so a store seeded before and one seeded now agree node for node.
 */
const BEFORE: Record<BuiltIn, { nodes: string; towns: string; outline: string; county: string }> = {
  shuangliu: {
    nodes: '4cd30a277ea9db15',
    towns: 'd82395950008e83d',
    outline: '372f9dccb9dedd5c',
    county: '834c98e19e0fb5cf',
  },
  baokang: {
    nodes: 'e51a6ba3f04ba179',
    towns: '65e9f8752d7b4de3',
    outline: 'd13122131e810a39',
    county: 'caba8d137393e74e',
  },
};
const hash = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);
const at = (n: NetworkNode): Position => [n.lon, n.lat];

/** Shoelace area of the outer rings (the shipped outlines and generated towns have no holes). */
const area = (mp: MultiPolygon): number =>
  mp.reduce((sum, [outer = []]) => {
    let a = 0;
    for (let i = 0, j = outer.length - 1; i < outer.length; j = i++) {
      const [[xi, yi], [xj, yj]] = [outer[i] as Position, outer[j] as Position];
      a += (xj + xi) * (yj - yi);
    }
    return sum + Math.abs(a / 2);
  }, 0);

describe.each(BUILT_IN_COUNTIES)('generateNetwork(%s)', (name) => {
  const network = generateNetwork(name);
  const { outline, center } = loadCounty(name);
  const byId = new Map(network.nodes.map((n) => [n.id, n]));

  it('is the network the generator made before the county was data: ids, names, coordinates, towns', () => {
    // The fields the old nodes had, in their order (addresses are new).
    const nodes = network.nodes.map(({ id, level, name, parentId, instituteId, lat, lon, kind, code }) => {
      return { id, level, name, parentId, instituteId, lat, lon, kind, code };
    });
    const { network: key, name: county, adcode, center: at, timeZone } = network.county;
    expect({
      nodes: hash(nodes),
      towns: hash(network.towns),
      outline: hash(network.outline),
      county: hash({ network: key, name: county, adcode, center: at, timeZone }),
    }).toEqual(BEFORE[name]);
  });

  it('has the articles’ counts per level and a valid shape', () => {
    expect(countByLevel(network.nodes)).toEqual(EXPECTED[name].levels);
    expect(Compile(NetworkSchema).Check(network)).toBe(true);
    expect(network.county).toMatchObject({ network: name, adcode: EXPECTED[name].adcode });
  });

  it('places every node strictly inside the real outline', () => {
    const outside = network.nodes.filter((n) => !inMultiPolygon(at(n), outline.shape));
    expect(outside).toEqual([]);
  });

  it('is the same whatever the seed: every node is in the shipped file', () => {
    expect(generateNetwork(name, 7)).toEqual(network);
  });

  it('gives unique ids, names and 文明实践码', () => {
    const ids = network.nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(network.nodes.map((n) => n.name)).size).toBe(ids.length);
    for (const n of network.nodes) {
      expect(n.id).toMatch(/^(C0|I\d{2}|S\d{3}|P\d{4})$/);
      expect(n.code).toBe(`WMSJ:${EXPECTED[name].adcode}:${n.id}`);
    }
  });

  it('links every node to a parent one level up, within one institute', () => {
    const above = { center: null, institute: 'center', station: 'institute', point: 'station' } as const;
    for (const n of network.nodes) {
      const parent = n.parentId === null ? null : byId.get(n.parentId);
      expect(parent?.level ?? null).toBe(above[n.level]);
      if (n.level === 'center') expect(n.instituteId).toBeNull();
      else if (n.level === 'institute') expect(n.instituteId).toBe(n.id);
      else expect(n.instituteId).toBe(parent?.instituteId);
      expect(n.kind === null).toBe(n.level !== 'point');
    }
  });

  it('assigns stations to the nearest institute and points to the nearest station', () => {
    const plane = localPlane(center[1]);
    const institutes = network.nodes.filter((n) => n.level === 'institute');
    const stations = network.nodes.filter((n) => n.level === 'station');
    for (const s of stations) expect(institutes[plane.nearest(at(s), institutes.map(at))]?.id).toBe(s.parentId);
    for (const p of network.nodes.filter((n) => n.level === 'point')) {
      expect(stations[plane.nearest(at(p), stations.map(at))]?.id).toBe(p.parentId);
    }
  });

  it('draws towns that cover the county, each holding its own institute only', () => {
    const towns = network.towns.features as {
      properties: { instituteId: string; name: string };
      geometry: { coordinates: MultiPolygon };
    }[];
    const institutes = network.nodes.filter((n) => n.level === 'institute');
    expect(towns.map((t) => t.properties.instituteId)).toEqual(institutes.map((i) => i.id));
    for (const town of towns) {
      for (const i of institutes) {
        expect(inMultiPolygon(at(i), town.geometry.coordinates)).toBe(i.id === town.properties.instituteId);
      }
      expect(byId.get(town.properties.instituteId)?.name).toBe(`${town.properties.name}新时代文明实践所`);
    }
    const townsArea = towns.reduce((sum, t) => sum + area(t.geometry.coordinates), 0);
    expect(townsArea / area(outline.shape)).toBeCloseTo(1, 3);
    expect(JSON.stringify(network.towns).length).toBeLessThan(150_000);
  });
});

describe('outline main body', () => {
  it('ships no part far from a county, and drops one added 60 km out with its exclaves kept', () => {
    for (const name of BUILT_IN_COUNTIES) {
      const { outline, center } = loadCounty(name);
      expect(mainBody(outline.shape, localPlane(center[1]), 20_000).dropped).toEqual([]);
    }
    const {
      outline: { shape },
      center,
    } = loadCounty('baokang');
    // Baokang's own exclaves (0.3 and 1.2 km off its main part) stay; the speck it once shipped goes.
    expect(shape).toHaveLength(3);
    const speck: MultiPolygon[number] = [
      [
        [112.163, 31.886],
        [112.163, 31.882],
        [112.16, 31.882],
        [112.163, 31.886],
      ],
    ];
    const { kept, dropped } = mainBody([speck, ...shape], localPlane(center[1]), 20_000);
    expect(kept).toEqual(shape);
    expect(dropped).toEqual([speck]);
  });
});
