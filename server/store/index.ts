/**
 * The store: ClickHouse behind one interface, opened and migrated at start. Knows nothing of HTTP
 * or sockets; the rest of the server calls its named queries.
 */
import { EmbeddedTransport } from './embedded.js';
import { migrate } from './migrate.js';
import type { Transport } from './transport.js';

export interface StoreOptions {
  dataDir: string;
}

export async function openStore(options: StoreOptions): Promise<Transport> {
  const transport = new EmbeddedTransport(`${options.dataDir}/clickhouse`);
  await migrate(transport);
  return transport;
}

export async function ping(t: Transport): Promise<{ reachable: boolean; latencyMs: number }> {
  const started = performance.now();
  try {
    await t.query('SELECT 1 AS ok');
    return { reachable: true, latencyMs: performance.now() - started };
  } catch {
    return { reachable: false, latencyMs: performance.now() - started };
  }
}

export type { Transport } from './transport.js';
