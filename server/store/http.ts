/**
 * The HTTP transport: a ClickHouse server (or cluster) through @clickhouse/client, used when
 * CLICKHOUSE_URL is set. The URL's path names the database (created at connect if missing).
 */
import { createClient, ClickHouseLogLevel, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { substituteParams } from './http-params.js';
import type { InsertOptions, Params, Transport } from './transport.js';

export interface HttpTransportOptions {
  /** Per-request limit; a dead or black-holed server must not hang a caller (ingest retries itself). */
  requestTimeoutMs?: number;
}

/** Settings sent with every request. */
const SETTINGS: ClickHouseSettings = {
  // Same row shape as the embedded transport: UInt64/Int64 as JSON numbers, not strings.
  output_format_json_quote_64bit_integers: 0,
};

export class HttpTransport implements Transport {
  readonly kind = 'http' as const;

  private constructor(
    private readonly client: ClickHouseClient,
    /** `SELECT version()` at connect, e.g. "24.8.4.13" or "18.16.1". */
    readonly serverVersion: string,
    /** Whether the server binds `{name:Type}` itself (ClickHouse >= 19.11). */
    readonly bindsParams: boolean,
    /** Whether the server knows the `insert_deduplication_token` setting (modern servers). */
    readonly knowsDedupToken: boolean,
  ) {}

  /** Connects to `url` (`http://user:password@host:8123/database`), creating the database if missing. */
  static async connect(url: string, options: HttpTransportOptions = {}): Promise<HttpTransport> {
    const { root, database } = splitDatabase(url);
    const open = (db: string) =>
      createClient({
        url: root,
        database: db,
        request_timeout: options.requestTimeoutMs ?? 30_000,
        // ClickHouse closes an idle keep-alive socket after its keep_alive_timeout (3 s before 23.11,
        // 10 s after); reusing one the server just closed is the classic ECONNRESET. Dropping idle
        // sockets after 2 s, and checking their age before each request (a busy event loop can
        // delay the idle timer), keeps the pool below either timeout.
        keep_alive: { enabled: true, idle_socket_ttl: 2_000, eagerly_destroy_stale_sockets: true },
        clickhouse_settings: SETTINGS,
        // Failures are thrown to the caller, which logs them with its own context (and retries).
        log: { level: ClickHouseLogLevel.OFF },
      });
    if (database !== 'default') {
      // The HTTP interface refuses every statement naming a missing database, CREATE DATABASE
      // included, so this one runs through a client on `default`.
      const admin = open('default');
      try {
        await admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${identifier(database)}` });
      } catch (e) {
        throw new Error(`ClickHouse at ${redact(url)}: ${errorText(e)}`, { cause: e });
      } finally {
        await admin.close();
      }
    }
    const client = open(database);
    try {
      const [info] = await (
        await client.query({
          query: `SELECT version() AS version,
                    (SELECT count() FROM system.settings WHERE name = 'insert_deduplication_token') AS dedup`,
          format: 'JSONEachRow',
        })
      ).json<{ version: string; dedup: number }>();
      const version = info?.version ?? '0';
      return new HttpTransport(client, version, bindsParams(version), (info?.dedup ?? 0) > 0);
    } catch (e) {
      await client.close();
      throw new Error(`ClickHouse at ${redact(url)}: ${errorText(e)}`, { cause: e });
    }
  }

  async command(sql: string, params?: Params): Promise<void> {
    await this.client.command(this.statement(sql, params));
  }

  async query<T>(sql: string, params?: Params): Promise<T[]> {
    const result = await this.client.query({ ...this.statement(sql, params), format: 'JSONEachRow' });
    return result.json<T>();
  }

  async insertJsonEachRow(table: string, ndjson: Buffer, options: InsertOptions = {}): Promise<number> {
    const columns = options.columns ? ` (${options.columns.map(identifier).join(', ')})` : '';
    // Old servers reject the unknown setting outright; there only Replicated tables deduplicate,
    // by the block's checksum, which an identical re-sent block still matches.
    const settings: ClickHouseSettings =
      options.dedupToken && this.knowsDedupToken ? { insert_deduplication_token: options.dedupToken } : {};
    // exec, not insert(): the body is already NDJSON and goes out byte for byte (insert() would
    // want objects to re-serialise, losing 64-bit precision on the way).
    const { stream } = await this.client.exec({
      query: `INSERT INTO ${identifier(table)}${columns} FORMAT ${options.format ?? 'JSONEachRow'}`,
      values: Readable.from([ndjson]),
      clickhouse_settings: settings,
    });
    stream.resume(); // an unread response would leave the socket unusable for the next request
    await finished(stream);
    // Rows sent, as the embedded transport reports: the server's summary would count rows written
    // by materialized views too, and old servers send none.
    return countLines(ndjson);
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** Server-side binding where the server has it; otherwise the old-server substitution below. */
  private statement(sql: string, params?: Params): { query: string; query_params?: Params } {
    if (!params) return { query: sql };
    return this.bindsParams ? { query: sql, query_params: params } : { query: substituteParams(sql, params) };
  }
}

/** `{name:Type}` binding over HTTP arrived in ClickHouse 19.11.3 ("prepared statements", #5331). */
export function bindsParams(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 19 || (major === 19 && minor >= 11);
}

/** The URL without its path, and the database the path names (`default` when none). */
export function splitDatabase(url: string): { root: URL; database: string } {
  const root = new URL(url);
  const database = decodeURIComponent(root.pathname.replace(/^\/+|\/+$/g, '')) || 'default';
  root.pathname = '/';
  return { root, database };
}

/** A table, column or database name: checked, then back-quoted (names are code, never input). */
export function identifier(name: string): string {
  const parts = name.split('.');
  if (parts.length > 2 || !parts.every((p) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) {
    throw new Error(`not a plain ClickHouse identifier: ${JSON.stringify(name)}`);
  }
  return parts.map((p) => `\`${p}\``).join('.');
}

/** Non-empty lines, counted on the bytes (no copy into a string). */
function countLines(ndjson: Buffer): number {
  let count = 0;
  for (let start = 0; start < ndjson.length;) {
    const nl = ndjson.indexOf(10, start);
    const end = nl === -1 ? ndjson.length : nl;
    if (end > start) count += 1;
    start = end + 1;
  }
  return count;
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
