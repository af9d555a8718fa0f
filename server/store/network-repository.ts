import type { County, FeatureCollection, Network, NetworkNode } from '../../shared/network.js';
import type { Transport } from './transport.js';

interface NodeRow {
  id: string;
  level: NetworkNode['level'];
  name: string;
  parent_id: string | null;
  institute_id: string | null;
  lat: number;
  lon: number;
  kind: NetworkNode['kind'];
  code: string;
}

/** Reads the seeded network back; null when the store holds none yet. */
export async function loadNetwork(t: Transport): Promise<Network | null> {
  const geo = await t.query<{ kind: string; body: string }>('SELECT kind, body FROM network_geo FINAL');
  const byKind = new Map(geo.map((g) => [g.kind, g.body]));
  const county = byKind.get('county');
  const outline = byKind.get('outline');
  const towns = byKind.get('towns');
  if (!county || !outline || !towns) return null;
  const rows = await t.query<NodeRow>(
    `SELECT id, level, name, parent_id, institute_id, lat, lon, kind, code FROM nodes FINAL
     ORDER BY indexOf(['center', 'institute', 'station', 'point'], level), id`,
  );
  return {
    county: JSON.parse(county) as County,
    outline: JSON.parse(outline) as FeatureCollection,
    towns: JSON.parse(towns) as FeatureCollection,
    nodes: rows.map((r) => ({
      id: r.id,
      level: r.level,
      name: r.name,
      parentId: r.parent_id,
      instituteId: r.institute_id,
      lat: r.lat,
      lon: r.lon,
      kind: r.kind,
      code: r.code,
    })),
  };
}

export async function countVolunteers(t: Transport): Promise<number> {
  const [row] = await t.query<{ n: number }>('SELECT count() AS n FROM volunteers FINAL');
  return row?.n ?? 0;
}
