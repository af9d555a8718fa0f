/**
 * The store a test runs on: embedded chdb (the default), or — in the suite's HTTP leg
 * (`TEST_CLICKHOUSE=http`, vitest project `integration-http`) — a ClickHouse server over HTTP: the
 * chdb HTTP server of tests/helpers/chdb-http.ts in a process of its own, started once for the leg by
 * tests/helpers/chdb-http-global.ts. Each data directory is its own database there, so a test file
 * (and each app it builds on a new directory) starts on an empty store, and a restart on the same
 * directory finds its data again, as with chdb.
 */
import { basename, join } from 'node:path';
import { inject } from 'vitest';
import { EmbeddedTransport } from '../../server/store/embedded.js';
import { HttpTransport } from '../../server/store/http.js';
import type { Transport } from '../../server/store/transport.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The HTTP leg's ClickHouse server, `http://default:@127.0.0.1:<port>`. */
    clickhouseHttpUrl: string;
  }
}

/** Which transport this test process stores through. */
export const TEST_TRANSPORT: 'embedded' | 'http' = process.env['TEST_CLICKHOUSE'] === 'http' ? 'http' : 'embedded';

/** The database a data directory's store is on the HTTP leg's server. */
export function databaseOf(dataDir: string): string {
  return `wmsj_${basename(dataDir).replace(/[^A-Za-z0-9_]/g, '_')}`;
}

function serverUrl(): string {
  const url = inject('clickhouseHttpUrl');
  if (!url)
    throw new Error('TEST_CLICKHOUSE=http needs the server of the HTTP leg: run with --project integration-http');
  return url;
}

/** `CLICKHOUSE_URL` for an app on `dataDir`: none on chdb, the directory's database on the HTTP leg. */
export function clickhouseEnv(dataDir: string): Record<string, string> {
  return TEST_TRANSPORT === 'http' ? { CLICKHOUSE_URL: `${serverUrl()}/${databaseOf(dataDir)}` } : {};
}

/**
 * The store of `dataDir`, opened directly (not migrated): chdb in `dataDir/clickhouse` (one process
 * per directory, so only while no app holds it), or the directory's database over HTTP.
 */
export async function openTestStore(dataDir: string): Promise<Transport> {
  if (TEST_TRANSPORT === 'embedded') return new EmbeddedTransport(join(dataDir, 'clickhouse'));
  return HttpTransport.connect(`${serverUrl()}/${databaseOf(dataDir)}`);
}
