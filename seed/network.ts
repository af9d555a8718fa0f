/**
 * Generates a county's practice network (中心 → 所 → 站 → 点) inside its real outline. Positions
 * are invented but plausible: institutes spread evenly over the county, stations cluster a little
 * around town seats, points sit near stations. Deterministic for a seed.
 */
import { PointKind, type Network, type NetworkName, type NetworkNode, type NodeLevel } from '../shared/network.js';
import { DEFAULT_TIME_ZONE } from '../shared/time-zone.js';
import { COUNTIES, loadOutline } from './counties.js';
import { inMultiPolygon, localPlane, type Position } from '../shared/geometry.js';
import { INSTITUTE_SUFFIX, placeName } from './names.js';
import { createSampler, placeInstitutes, placeStations } from '../shared/placement.js';
import { createRng, hashSeed } from '../shared/random.js';
import { buildTowns } from './towns.js';

/** Clockwise from north around the center: the order the non-seat towns are named in. */
const bearing = (c: Position, p: Position): number =>
  (Math.atan2(p[0] - c[0], p[1] - c[1]) + 2 * Math.PI) % (2 * Math.PI);

export function generateNetwork(name: NetworkName, seed = 20231): Network {
  const spec = COUNTIES[name];
  const outline = loadOutline(name);
  const rng = createRng(hashSeed(seed, Object.keys(COUNTIES).indexOf(name)));
  const plane = localPlane(outline.center[1]);
  const where = createSampler(outline.shape, rng, outline.center[1]);
  const node = (level: NodeLevel, id: string, name: string, parent: NetworkNode | null, at: Position): NetworkNode => ({
    id,
    level,
    name,
    parentId: parent?.id ?? null,
    instituteId: level === 'institute' ? id : (parent?.instituteId ?? null),
    lat: at[1],
    lon: at[0],
    kind: null,
    code: `WMSJ:${outline.adcode}:${id}`,
  });

  const cloud = Array.from({ length: 3000 }, () => where.uniform());
  const centerAt = inMultiPolygon(outline.center, outline.shape)
    ? outline.center
    : (cloud[plane.nearest(outline.center, cloud)] as Position);
  const center = node('center', 'C0', `${spec.name}新时代文明实践中心`, null, centerAt);
  const sites = placeInstitutes(cloud, spec.towns.length, plane, centerAt);
  // The seat town holds the center (东升街道, 城关镇); the other names follow a bearing, not a survey.
  const seat = sites[plane.nearest(centerAt, sites)] as Position;
  const others = sites.filter((s) => s !== seat).sort((a, b) => bearing(centerAt, a) - bearing(centerAt, b));
  const instituteAts = [seat, ...others];
  const institutes = instituteAts.map((at, i) =>
    node('institute', `I${pad(i + 1, 2)}`, `${spec.towns[i] ?? ''}${INSTITUTE_SUFFIX}`, center, at),
  );

  const taken = new Set<string>();
  const stations = placeStations(spec.stations, instituteAts, where, rng, plane)
    .map((at) => ({ at, inst: plane.nearest(at, instituteAts) }))
    .sort((a, b) => a.inst - b.inst || b.at[1] - a.at[1])
    .map(({ at, inst }, i) => {
      const town = spec.towns[inst] ?? '';
      const seatAt = instituteAts[inst] as Position;
      const urban = town.endsWith('街道') ? rng.chance(0.85) : plane.distanceM(at, seatAt) < 2000;
      const label = `${placeName(rng, taken)}${urban ? '社区' : '村'}新时代文明实践站`;
      return { urban, node: node('station', `S${pad(i + 1, 3)}`, label, institutes[inst] ?? null, at) };
    });

  const stationAts = stations.map((s) => [s.node.lon, s.node.lat] as Position);
  const kindWeights = POINT_KINDS.map((k) => spec.pointKinds[k]);
  const points = Array.from({ length: spec.points }, () => {
    // Estates, offices and squares crowd into communities more than into villages.
    const host = rng.weighted(
      stationAts,
      stations.map((s) => (s.urban ? 3 : 1)),
    );
    const at = where.near(host, 700);
    return { at, station: plane.nearest(at, stationAts), kind: rng.weighted(POINT_KINDS, kindWeights) };
  })
    .sort((a, b) => a.station - b.station || b.at[1] - a.at[1])
    .map(({ at, station, kind }, i) => {
      const label = `${placeName(rng, taken)}${rng.pick(POINT_SUFFIXES[kind])}新时代文明实践点`;
      return { ...node('point', `P${pad(i + 1, 4)}`, label, stations[station]?.node ?? null, at), kind };
    });

  const townSites = institutes.map((i, k) => ({
    instituteId: i.id,
    name: spec.towns[k] ?? '',
    at: instituteAts[k] as Position,
  }));
  return {
    county: {
      network: name,
      name: spec.name,
      adcode: outline.adcode,
      center: outline.center,
      timeZone: DEFAULT_TIME_ZONE,
    },
    nodes: [center, ...institutes, ...stations.map((s) => s.node), ...points],
    outline: outline.collection,
    towns: buildTowns(outline.shape, townSites, plane),
  };
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

const POINT_KINDS = Object.values(PointKind);
const POINT_SUFFIXES: Readonly<Record<PointKind, readonly string[]>> = {
  park: ['公园', '湿地公园', '游园'],
  square: ['广场', '文化广场'],
  estate: ['小区', '花园', '家园'],
  courtyard: ['院落', '大院'],
  office: ['大厦', '商务楼宇', '产业园'],
  facility: ['图书馆', '文化馆', '体育馆', '党群服务中心', '邻里中心'],
};
