/**
 * A small network for store tests on real chdb: the center, two 所 (I01 with stations S001 and
 * S002, the point P001 under S001; I02 with S101), written straight into `nodes`.
 */
import type { Transport } from '../../server/store/transport.js';

/** Each site's 所, for the events' `institute_id`. */
export const INSTITUTE_OF: Readonly<Record<string, string>> = { S001: 'I01', P001: 'I01', S002: 'I01', S101: 'I02' };

const node = (
  name: (id: string) => string,
  id: string,
  level: string,
  parent: string | null,
  institute: string | null,
) =>
  JSON.stringify({
    id,
    level,
    name: name(id),
    parent_id: parent,
    institute_id: institute,
    lat: 30.5,
    lon: 103.9,
    kind: null,
    code: id,
  });

/** Writes the network's nodes; `name` names each one from its id (the id itself by default). */
export async function insertSmallNetwork(store: Transport, name: (id: string) => string = (id) => id): Promise<void> {
  const rows = [
    node(name, 'C', 'center', null, null),
    node(name, 'I01', 'institute', 'C', null),
    node(name, 'I02', 'institute', 'C', null),
    node(name, 'S001', 'station', 'I01', 'I01'),
    node(name, 'P001', 'point', 'S001', 'I01'),
    node(name, 'S002', 'station', 'I01', 'I01'),
    node(name, 'S101', 'station', 'I02', 'I02'),
  ];
  await store.insertJsonEachRow('nodes', Buffer.from(`${rows.join('\n')}\n`));
}
