/**
 * Writes a network into the store: one `nodes` row per node and the county, outline and towns as
 * GeoJSON text in `network_geo`. Used by `npm run db:seed` and by the server when it seeds an empty
 * store, so both produce the same rows.
 */
import type { Network } from '../shared/network.js';
import type { Transport } from '../server/store/transport.js';

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
    }),
  );
  await t.insertJsonEachRow('nodes', Buffer.from(`${nodes.join('\n')}\n`));
  const geo = [
    { kind: 'county', body: JSON.stringify(network.county) },
    { kind: 'outline', body: JSON.stringify(network.outline) },
    { kind: 'towns', body: JSON.stringify(network.towns) },
  ];
  await t.insertJsonEachRow('network_geo', Buffer.from(`${geo.map((g) => JSON.stringify(g)).join('\n')}\n`));
}
