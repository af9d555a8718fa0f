/**
 * The network (`nodes`, `network_geo`) and the volunteer registry (`volunteers`): written whole by
 * the seed (`npm run db:seed`, or the server seeding an empty store), read back by the server.
 */
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
  address: string;
}

/**
 * Writes a network: one `nodes` row per node and the county, outline and towns as GeoJSON text in
 * `network_geo`, so `db:seed` and a server seeding an empty store produce the same rows.
 */
export async function saveNetwork(t: Transport, network: Network): Promise<void> {
  // The network is replaced whole: a county re-seeded with fewer stations must not keep the old ones.
  await t.command('TRUNCATE TABLE IF EXISTS nodes');
  await t.command('TRUNCATE TABLE IF EXISTS network_geo');
  const nodes = network.nodes.map((n) =>
    JSON.stringify({
      id: n.id,
      level: n.level,
      name: n.name,
      parent_id: n.parentId,
      institute_id: n.instituteId,
      lat: n.lat,
      lon: n.lon,
      kind: n.kind,
      code: n.code,
      address: n.address ?? '',
    } satisfies NodeRow),
  );
  await t.insertJsonEachRow('nodes', Buffer.from(`${nodes.join('\n')}\n`));
  const geo = [
    { kind: 'county', body: JSON.stringify(network.county) },
    { kind: 'outline', body: JSON.stringify(network.outline) },
    { kind: 'towns', body: JSON.stringify(network.towns) },
  ];
  await t.insertJsonEachRow('network_geo', Buffer.from(`${geo.map((g) => JSON.stringify(g)).join('\n')}\n`));
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
    `SELECT id, level, name, parent_id, institute_id, lat, lon, kind, code, address FROM nodes FINAL
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
      ...(r.address === '' ? {} : { address: r.address }),
    })),
  };
}

/** A volunteer of the registry (a `volunteers` row, camel-cased). */
export interface Volunteer {
  id: string;
  name: string;
  phone: string;
  /** 支队:队:专业队 — `I03:S045:T07`; each prefix is the team one level up (the county's 总队 is implicit). */
  teamId: string;
  instituteId: string;
  stationId: string;
  skills: string[];
}
/** A volunteer and when they registered (epoch seconds). */
export type VolunteerRegistration = Volunteer & { registeredAt: number };

/** Adds a batch of volunteers to the registry. */
export async function insertVolunteers(t: Transport, volunteers: readonly VolunteerRegistration[]): Promise<void> {
  const rows = volunteers.map((v) =>
    JSON.stringify({
      id: v.id,
      name: v.name,
      phone: v.phone,
      team_id: v.teamId,
      institute_id: v.instituteId,
      station_id: v.stationId,
      skills: v.skills,
      registered_at: v.registeredAt,
    }),
  );
  await t.insertJsonEachRow('volunteers', Buffer.from(`${rows.join('\n')}\n`));
}

export async function countVolunteers(t: Transport): Promise<number> {
  const [row] = await t.query<{ n: number }>('SELECT count() AS n FROM volunteers FINAL');
  return row?.n ?? 0;
}
