/**
 * A county's practice network (中心 → 所 → 站 → 点) from its data files (shared/county-load.ts): the nodes as
 * listed, each 所's town area drawn around it, and — when county.json asks (`generate.points`) —
 * 点/基地 generated near the stations, deterministic for a seed.
 */
import { PointKind, type Network, type NetworkNode } from '../shared/network.js';
import { factsOf, type CountySource } from '../shared/county-load.js';
import { levelOf } from '../shared/county-tree.js';
import { loadCounty } from './counties.js';
import { localPlane, type Plane, type Position } from '../shared/geometry.js';
import { placeName, townOf } from './names.js';
import { createSampler } from '../shared/placement.js';
import { createRng, hashSeed } from '../shared/random.js';
import { buildTowns } from './towns.js';

/** The network of `NETWORK` (a built-in county's name or a county's directory). */
export function generateNetwork(county: string, seed = 20231): Network {
  const source = loadCounty(county);
  for (const warning of source.outline.warnings) process.emitWarning(warning);
  return buildNetwork(source, seed);
}

const RANK = { center: 0, institute: 1, station: 2, point: 3 } as const;

export function buildNetwork(source: CountySource, seed: number): Network {
  const { file, outline, center } = source;
  const code = (id: string): string => `WMSJ:${file.code}:${id}`;
  const listed = source.rows.map(({ row }, i): NetworkNode => {
    const level = levelOf(source.rows[i] as (typeof source.rows)[number]);
    return {
      id: row.id,
      level,
      name: row.name,
      parentId: row.parent === '' ? null : row.parent,
      instituteId: null,
      lat: row.lat,
      lon: row.lon,
      kind: level === 'point' ? row.kind || PointKind.facility : null,
      code: code(row.id),
      address: row.address,
    };
  });
  const plane = localPlane(center[1]);
  const generated = generatePoints(listed, source, plane, seed);
  // The order the store reads them back in (level, then id), so a restart sees the same network.
  const nodes = [...listed, ...generated].sort((a, b) => RANK[a.level] - RANK[b.level] || (a.id < b.id ? -1 : 1));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const n of nodes) {
    n.instituteId = n.level === 'institute' ? n.id : (byId.get(n.parentId ?? '')?.instituteId ?? null);
  }
  const institutes = nodes.filter((n) => n.level === 'institute');
  const sites = institutes.map((i) => ({ instituteId: i.id, name: townOf(i.name), at: [i.lon, i.lat] as Position }));
  return {
    county: {
      network: source.key,
      name: file.name,
      ...(file.nameEn === undefined ? {} : { nameEn: file.nameEn }),
      adcode: file.code,
      center,
      timeZone: file.timeZone,
      facts: factsOf(file),
    },
    nodes,
    outline: outline.collection,
    towns: buildTowns(outline.shape, sites, plane),
  };
}

/** `generate.points` 点 near the stations (three times likelier near a 社区 than a 村), each under its nearest station. */
function generatePoints(listed: NetworkNode[], source: CountySource, plane: Plane, seed: number): NetworkNode[] {
  const count = source.file.generate?.points ?? 0;
  if (count === 0) return [];
  const rng = createRng(hashSeed(seed, 0x9017));
  const where = createSampler(source.outline.shape, rng, source.center[1]);
  const stations = listed.filter((n) => n.level === 'station');
  const stationAts = stations.map((s): Position => [s.lon, s.lat]);
  const given = source.file.generate?.pointKinds;
  const weights = KINDS.map((k) => (given ? (given[k] ?? 0) : 1));
  const taken = new Set(listed.map((n) => n.name));
  const ids = new Set(listed.map((n) => n.id));
  const townOfStation = (s: NetworkNode | undefined): string =>
    townOf(listed.find((n) => n.id === s?.parentId)?.name ?? '');
  let serial = 0;
  return Array.from({ length: count }, (): NetworkNode => {
    const host = rng.weighted(
      stationAts,
      stations.map((s) => (s.name.includes('社区') ? 3 : 1)),
    );
    const at = where.near(host, 700);
    const station = stations[plane.nearest(at, stationAts)];
    const kind = rng.weighted(KINDS, weights);
    const place = `${placeName(rng, taken)}${rng.pick(POINT_SUFFIXES[kind])}`;
    const nextId = (): string => `P${String((serial += 1)).padStart(4, '0')}`;
    let id = nextId();
    while (ids.has(id)) id = nextId();
    return {
      id,
      level: 'point',
      name: `${place}新时代文明实践点`,
      parentId: station?.id ?? null,
      instituteId: null,
      lat: at[1],
      lon: at[0],
      kind,
      code: `WMSJ:${source.file.code}:${id}`,
      address: `${source.file.name}${townOfStation(station)}${place}`,
    };
  });
}

const KINDS = Object.values(PointKind);
const POINT_SUFFIXES: Readonly<Record<PointKind, readonly string[]>> = {
  park: ['公园', '湿地公园', '游园'],
  square: ['广场', '文化广场'],
  estate: ['小区', '花园', '家园'],
  courtyard: ['院落', '大院'],
  office: ['大厦', '商务楼宇', '产业园'],
  facility: ['图书馆', '文化馆', '体育馆', '党群服务中心', '邻里中心'],
};
