/**
 * The store: ClickHouse behind one interface, opened and migrated at start. Knows nothing of the
 * app's routes or sockets; the rest of the server calls its named queries.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { EmbeddedTransport } from './embedded.js';
import { HttpTransport } from './http.js';
import { migrate } from './migrate.js';
import type { Transport } from './transport.js';

export interface StoreOptions {
  dataDir: string;
  /** A ClickHouse server (`http://user:password@host:8123/database`); empty = embedded chdb in dataDir. */
  clickhouseUrl?: string;
  /** Where the embedded engine may write backups (BACKUP_DIR). */
  backupsDir?: string;
}

export async function openStore(options: StoreOptions): Promise<Transport> {
  const transport = options.clickhouseUrl
    ? await HttpTransport.connect(options.clickhouseUrl)
    : new EmbeddedTransport(
        `${options.dataDir}/clickhouse`,
        options.backupsDir ? { backupsDir: options.backupsDir } : {},
      );
  try {
    await migrate(transport);
  } catch (e) {
    await transport.close(); // an open HTTP pool would keep the failed process alive
    throw e;
  }
  return transport;
}

/** Longer than any healthy answer; short enough that /api/health never waits on a silent server. */
const PING_TIMEOUT_MS = 3_000;

export async function ping(t: Transport): Promise<{ reachable: boolean; latencyMs: number }> {
  const started = performance.now();
  const abort = new AbortController();
  try {
    await Promise.race([
      t.query('SELECT 1 AS ok'),
      sleep(PING_TIMEOUT_MS, undefined, { signal: abort.signal }).then(() => Promise.reject(new Error('ping timeout'))),
    ]);
    return { reachable: true, latencyMs: performance.now() - started };
  } catch {
    return { reachable: false, latencyMs: performance.now() - started };
  } finally {
    abort.abort(); // stop the timer
  }
}

export type { Transport } from './transport.js';
