/**
 * Reads a stopped server's ClickHouse directly (chdb allows one process per data directory, so
 * only after `stop()`/`kill()`): how many times each of these event ids is stored.
 */
import { EmbeddedTransport } from '../../server/store/embedded.js';

export async function storedCounts(dataDir: string, ids: readonly string[]): Promise<Map<string, number>> {
  const store = new EmbeddedTransport(`${dataDir}/clickhouse`);
  try {
    const rows = await store.query<{ event_id: string; n: number }>(
      'SELECT toString(id) AS event_id, count() AS n FROM events WHERE id IN {ids:Array(UUID)} GROUP BY id',
      { ids },
    );
    return new Map(rows.map((r) => [r.event_id, r.n]));
  } finally {
    await store.close();
  }
}
