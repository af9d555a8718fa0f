/**
 * ClickHouse unavailable, then back: ingest keeps accepting into its log, reports the failure,
 * retries, and in the end every accepted event is inserted once. The store is a fake that refuses
 * inserts while "down" (the real-process version needs a modern ClickHouse server; see README).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Ingest } from '../../../server/ingest/ingest.js';
import { lineId } from '../../../server/store/events-repository.js';
import type { InsertOptions, Transport } from '../../../server/store/transport.js';
import { appealReceived } from '../../helpers/events.js';

/** Remembers inserted rows by id, honours dedup tokens like ClickHouse, and fails while `down`. */
class FlakyStore implements Transport {
  readonly kind = 'embedded' as const;
  down = true;
  /** Ids whose rows ClickHouse refuses as data (a parse error), as it would a row it cannot read. */
  readonly poison = new Set<string>();
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
    const refused = ndjson
      .toString()
      .split('\n')
      .some((l) => this.poison.has(lineId(l)));
    if (refused)
      return Promise.reject(
        new Error('Code: 27. DB::Exception: Cannot parse input (CANNOT_PARSE_INPUT_ASSERTION_FAILED)'),
      );
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

function makeIngest(store: FlakyStore, walDir: string): Ingest {
  return new Ingest(store, {
    walDir,
    maxWalBytes: 10 * 1024 * 1024,
    flushMaxEvents: 1000,
    flushMaxAgeMs: 20,
    nodes: new Map([['S001', 'I01']]),
    log: pino({ level: 'silent' }),
    onAccepted: () => undefined,
    onFlushed: () => undefined,
  });
}

async function drained(ingest: Ingest): Promise<void> {
  for (let i = 0; i < 200 && ingest.status().pending > 0; i += 1) await new Promise((r) => setTimeout(r, 50));
}

describe('ingest during a ClickHouse outage', () => {
  it('accepts into the log, reports the outage, and writes everything once when ClickHouse is back', async () => {
    const store = new FlakyStore();
    store.down = false; // up for start-up (it reads recent ids), down right after
    const ingest = makeIngest(store, mkdtempSync(join(tmpdir(), 'wal-outage-')));
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
    await drained(ingest);
    expect(ingest.status()).toMatchObject({ pending: 0, lastError: null, walBytes: 0 });
    expect(store.rows.size).toBe(300);
    expect([...store.rows.values()].every((n) => n === 1)).toBe(true);
    await ingest.close();
  });
});

describe('a row ClickHouse refuses as data', () => {
  it('is set aside in the dead-letter file and never holds up the rows around it', async () => {
    const store = new FlakyStore();
    store.down = false;
    const walDir = mkdtempSync(join(tmpdir(), 'wal-poison-'));
    const ingest = makeIngest(store, walDir);
    await ingest.start();
    const events = Array.from({ length: 64 }, () => appealReceived());
    const bad = events[37]?.id ?? '';
    store.poison.add(bad);
    expect((await ingest.submit(events)).accepted).toBe(64);
    await drained(ingest);
    expect(ingest.status()).toMatchObject({ pending: 0, setAside: 1, walBytes: 0 });
    expect(store.rows.size).toBe(63);
    expect(store.rows.has(bad)).toBe(false);
    const letters = readFileSync(join(walDir, 'dead-letter.ndjson'), 'utf8').trim().split('\n');
    expect(letters).toHaveLength(1);
    expect(letters[0]).toContain(bad);
    await ingest.close();
  });
});
