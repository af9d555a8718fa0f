/**
 * The auth audit's way into ClickHouse (auth/audit.ts, store/journaled-writer.ts) against a real
 * ClickHouse server process (tests/helpers/chdb-http.ts) that is killed and started again: an act
 * recorded while the store refuses is kept (in the node's file and its journal), written once the
 * store is back, and read once; a journal replayed after a crash that came between the insert and
 * the journal's removal adds nothing (the act's id collapses the repeat).
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuditAction, AuditLog } from '../../../server/auth/audit.js';
import { migrate } from '../../../server/store/migrate.js';
import type { Transport } from '../../../server/store/transport.js';
import { startChdbHttp, type ChdbHttp } from '../../helpers/chdb-http.js';

let clickhouse: ChdbHttp;
let store: Transport;
const dir = mkdtempSync(join(tmpdir(), 'wmsj-audit-store-'));
const log = pino({ level: 'silent' });
beforeAll(async () => {
  clickhouse = await startChdbHttp();
  store = await clickhouse.connect('wmsj_audit');
  await migrate(store);
}, 120_000);
afterAll(async () => {
  await store.close();
  await clickhouse.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A long interval: only the test's reads flush, so each step is the test's. */
const auditOn = () =>
  new AuditLog(join(dir, 'audit.jsonl'), { store, dir, node: 'node-a', log, intervalMs: 3_600_000 });
const failed = (actor: string) => ({
  action: AuditAction.loginFailed,
  actor,
  result: 'refused' as const,
  ip: '10.0.0.9',
});

it('an act recorded while ClickHouse is away is written once it is back, and read once', async () => {
  const audit = auditOn();
  await audit.start();
  await clickhouse.kill();
  try {
    audit.record(failed('while-away'));
    // On disk at once, in the node's file and the journal for the store.
    expect(readFileSync(join(dir, 'audit.jsonl'), 'utf8')).toContain('while-away');
    await expect(audit.page({ actor: 'while-away' }, 0, 10)).rejects.toThrow();
    expect(readFileSync(join(dir, 'auth-audit.jsonl'), 'utf8')).toContain('while-away');
  } finally {
    await clickhouse.start();
  }
  const page = await audit.page({ actor: 'while-away' }, 0, 10);
  expect(page.entries).toEqual([
    expect.objectContaining({ action: 'auth.login_failed', actor: 'while-away', result: 'refused', ip: '10.0.0.9' }),
  ]);
  expect(existsSync(join(dir, 'auth-audit.jsonl'))).toBe(false);
  await audit.close();
});

it('a journal replayed after it was written (a crash before its removal) writes nothing twice', async () => {
  const first = auditOn();
  await first.start();
  first.record(failed('replayed'));
  const journal = join(dir, 'auth-audit.jsonl');
  const kept = join(dir, 'kept.jsonl');
  copyFileSync(journal, kept);
  expect((await first.page({ actor: 'replayed' }, 0, 10)).entries).toHaveLength(1);
  await first.close();
  // The crash: the insert went through, the journal stayed.
  copyFileSync(kept, journal);
  const second = auditOn();
  await second.start();
  expect(existsSync(journal)).toBe(false);
  const page = await second.page({ actor: 'replayed' }, 0, 10);
  expect(page.entries).toHaveLength(1);
  expect(page.more).toBe(false);
  await second.close();
});
