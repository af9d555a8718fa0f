/**
 * Past WAL_MAX_BYTES of events not yet in ClickHouse, ingest answers 503 and acknowledges nothing
 * it cannot keep; everything it did acknowledge is stored exactly once.
 */
import { describe, expect, it } from 'vitest';
import { fillUntilRefused } from '../helpers/ingest.js';
import { startServer } from '../helpers/server.js';
import { storedCounts } from '../helpers/store.js';

describe('write-ahead log limit', () => {
  it('refuses with 503 past the limit and keeps every acknowledged event', async () => {
    // Flushing held back, so the log only grows.
    const server = await startServer({
      env: { WAL_MAX_BYTES: '300000', FLUSH_MAX_AGE_MS: '60000', FLUSH_MAX_EVENTS: '1000000' },
    });
    const ledger = await fillUntilRefused(server, 100, 200);
    expect(ledger.refusal).toEqual({ status: 503, code: 'INGEST_BACKPRESSURE' });
    expect(ledger.acked.length).toBeGreaterThan(0);
    expect(await server.stop()).toBe(0);

    const counts = await storedCounts(server.dataDir, [...ledger.acked, ...ledger.refused]);
    expect(ledger.acked.filter((id) => counts.get(id) !== 1)).toEqual([]);
    expect(ledger.refused.filter((id) => counts.has(id))).toEqual([]);
  });
});
