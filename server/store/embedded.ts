import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Session } from 'chdb';
import type { InsertOptions, Params, Transport } from './transport.js';

/**
 * The embedded transport: ClickHouse in-process via chdb, one persistent data directory per
 * process (the engine is a process singleton, so a second open of another path is refused).
 */
export class EmbeddedTransport implements Transport {
  readonly kind = 'embedded' as const;
  private readonly session: Session;

  /**
   * `backupsDir`: the one directory ClickHouse may write backups to and restore them from
   * (`backups.allowed_path`, server configuration, so given at connect).
   */
  constructor(dataDir: string, options: { backupsDir?: string } = {}) {
    mkdirSync(dataDir, { recursive: true });
    const backups = options.backupsDir ? [`--backups.allowed_path=${resolve(options.backupsDir)}/`] : [];
    this.session = new Session(dataDir, {
      connectionArgs: ['--output_format_json_quote_64bit_integers=0', ...backups],
    });
  }

  async command(sql: string, params?: Params): Promise<void> {
    if (params) await this.session.queryBindAsync(sql, params, { format: 'Null' });
    else await this.session.queryAsync(sql, { format: 'Null' });
  }

  async query<T>(sql: string, params?: Params): Promise<T[]> {
    const result = params
      ? await this.session.queryBindAsync(sql, params, { format: 'JSONEachRow' })
      : await this.session.queryAsync(sql, { format: 'JSONEachRow' });
    const text = result.text();
    if (text.length === 0) return [];
    return text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as T);
  }

  async insertJsonEachRow(table: string, ndjson: Buffer, options: InsertOptions = {}): Promise<number> {
    const settings: Record<string, string> = {};
    if (options.dedupToken) settings['insert_deduplication_token'] = options.dedupToken;
    const summary = await this.session.insert({
      table,
      values: ndjson,
      format: options.format ?? 'JSONEachRow',
      settings,
      ...(options.columns ? { columns: options.columns } : {}),
    });
    return summary.rowsSent ?? 0;
  }

  close(): Promise<void> {
    this.session.close();
    return Promise.resolve();
  }
}
