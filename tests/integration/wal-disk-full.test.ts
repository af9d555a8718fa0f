/**
 * The write-ahead log's disk fills up: ingest answers 503 and acknowledges nothing it could not
 * write; after a restart every acknowledged event is stored exactly once. The log gets a 1 MiB
 * tmpfs of its own (the test runs as root, as CI does).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fillUntilRefused } from '../helpers/ingest.js';
import { eventually, startServer, type RunningServer } from '../helpers/server.js';
import { storedCounts } from '../helpers/store.js';

const walDir = mkdtempSync(join(tmpdir(), 'wal-tmpfs-'));
let server: RunningServer | null = null;

afterAll(async () => {
  await server?.stop();
  execFileSync('umount', [walDir]);
});

describe('write-ahead log disk full', () => {
  it('answers 503 when the log cannot be written and loses nothing it acknowledged', async () => {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', walDir]);
    } catch (error) {
      throw new Error('this test mounts a small tmpfs for the log and needs root', { cause: error });
    }
    server = await startServer({
      env: { WAL_DIR: walDir, FLUSH_MAX_AGE_MS: '60000', FLUSH_MAX_EVENTS: '1000000' },
    });
    const ledger = await fillUntilRefused(server, 100, 400);
    expect(ledger.refusal).toEqual({ status: 503, code: 'INGEST_BACKPRESSURE' });
    expect(ledger.acked.length).toBeGreaterThan(0);
    // The disk refused the write (ENOSPC or a short write), not the byte limit. The log line comes
    // through the child's stdout pipe, which may trail the 503 on a busy machine.
    const running = server;
    await eventually(() => running.logs.some((l) => l.includes('write-ahead log append failed')) || undefined);
    // Still serving, and honest about it.
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await server.stop()).toBe(0);
    const { dataDir } = server;
    server = null;

    const counts = await storedCounts(dataDir, [...ledger.acked, ...ledger.refused]);
    expect(ledger.acked.filter((id) => counts.get(id) !== 1)).toEqual([]);
    expect(ledger.refused.filter((id) => counts.has(id))).toEqual([]);
  });
});
