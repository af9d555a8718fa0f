/**
 * ClickHouse unavailable, then back: ingest keeps accepting into its log, reports the failure,
 * retries, and in the end every accepted event is inserted once. The store is a fake that refuses
 * inserts while "down" (the real-process version needs a modern ClickHouse server; see README).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Ingest } from '../../server/ingest/ingest.js';
import { lineId } from '../../server/store/events-repository.js';
import type { InsertOptions, Transport } from '../../server/store/transport.js';
import { appealReceived } from '../helpers/events.js';

/** Remembers inserted rows by id, honours dedup tokens like ClickHouse, and fails while `down`. */
class FlakyStore implements Transport {
  readonly kind = 'embedded' as const;
  down = true;
  readonly rows = new Map<string, number>();
  private readonly tokens = new Set<string>();
  command(): Promise<void> {
    return Promise.resolve();
  }
  query<T>(): Promise<T[]> {
    return this.down ? Promise.reject(new Error('ECONNREFUSED')) : Promise.resolve([]);
  }
  insertJsonEachRow(_table: string, ndjson: Buffer, options: InsertOptions = {}): Promise<number> {
    if (this.down) return Promise.reject(new Error('ECONNRESET'));
    if (options.dedupToken && this.tokens.has(options.dedupToken)) return Promise.resolve(0);
    if (options.dedupToken) this.tokens.add(options.dedupToken);
    const lines = ndjson
      .toString()
      .split('\n')
      .filter((l) => l.length > 0);
    for (const line of lines) this.rows.set(lineId(line), (this.rows.get(lineId(line)) ?? 0) + 1);
    return Promise.resolve(lines.length);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

describe('ingest during a ClickHouse outage', () => {
  it('accepts into the log, reports the outage, and writes everything once when ClickHouse is back', async () => {
    const store = new FlakyStore();
    store.down = false; // up for start-up (it reads recent ids), down right after
    const ingest = new Ingest(store, {
      walDir: mkdtempSync(join(tmpdir(), 'wal-outage-')),
      maxWalBytes: 10 * 1024 * 1024,
      flushMaxEvents: 1000,
      flushMaxAgeMs: 20,
      nodes: new Map([['S001', 'I01']]),
      log: pino({ level: 'silent' }),
      onAccepted: () => undefined,
      onFlushed: () => undefined,
    });
    await ingest.start();
    store.down = true;

    const events = Array.from({ length: 300 }, () => appealReceived());
    for (let i = 0; i < events.length; i += 50) {
      const result = await ingest.submit(events.slice(i, i + 50));
      expect(result.accepted).toBe(50);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(ingest.status().pending).toBe(300);
    expect(ingest.status().lastError).toContain('ECONNRESET');
    expect(ingest.stats.insertErrors).toBeGreaterThan(0);

    store.down = false;
    for (let i = 0; i < 200 && ingest.status().pending > 0; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(ingest.status()).toMatchObject({ pending: 0, lastError: null, walBytes: 0 });
    expect(store.rows.size).toBe(300);
    expect([...store.rows.values()].every((n) => n === 1)).toBe(true);
    await ingest.close();
  });
});
