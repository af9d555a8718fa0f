/**
 * One interface to ClickHouse for the rest of the server. Two transports speak the same SQL dialect:
 * the embedded engine (chdb, in-process, the default) and a ClickHouse server over HTTP.
 * Values always travel as bound parameters (`{name:Type}`), never spliced into SQL text.
 */
export type Params = Record<string, string | number | boolean | readonly string[] | readonly number[]>;

export interface InsertOptions {
  /** Makes a re-sent block a no-op (insert_deduplication_token). */
  dedupToken?: string;
  /** JSONEachRow (keyed objects, the default) or JSONCompactEachRow (arrays in `columns` order). */
  format?: 'JSONEachRow' | 'JSONCompactEachRow';
  columns?: readonly string[];
}

export interface Transport {
  readonly kind: 'embedded' | 'http';
  /** DDL and statements without a result. */
  command(sql: string, params?: Params): Promise<void>;
  /** A query returning rows (JSONEachRow). 64-bit integers come back as numbers. */
  query<T>(sql: string, params?: Params): Promise<T[]>;
  /** Insert newline-delimited JSON rows (keyed or compact). */
  insertJsonEachRow(table: string, ndjson: Buffer, options?: InsertOptions): Promise<number>;
  close(): Promise<void>;
}
