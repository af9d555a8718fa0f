/**
 * The auth audit's way into ClickHouse (auth/audit.ts, store/journaled-writer.ts) against a real
 * ClickHouse server process (tests/helpers/chdb-http.ts) that is killed and started again: an act
 * recorded while the store refuses is kept (in the node's file and its journal), read meanwhile from
 * the node's file (the answer saying it holds this node's acts only, also through the admin's route
 * on the real app), written once the store is back, and read once; a journal replayed after a crash
 * that came between the insert and the journal's removal adds nothing (the act's id collapses the
 * repeat).
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuditAction, AuditLog } from '../../../server/auth/audit.js';
import { migrate } from '../../../server/store/migrate.js';
import type { Transport } from '../../../server/store/transport.js';
import type { AuditPage } from '../../../shared/audit.js';
import { startApp } from '../../helpers/app.js';
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
    // Read meanwhile from the node's file, said to be this node's acts only.
    expect(await audit.page({ actor: 'while-away' }, 0, 10)).toEqual({
      entries: [expect.objectContaining({ actor: 'while-away', result: 'refused' })],
      more: false,
      nodeOnly: true,
    });
    expect(readFileSync(join(dir, 'auth-audit.jsonl'), 'utf8')).toContain('while-away');
  } finally {
    await clickhouse.start();
  }
  const page = await audit.page({ actor: 'while-away' }, 0, 10);
  expect(page.nodeOnly).toBe(false);
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

it('the admin’s read while ClickHouse is away answers this node’s file, saying so, on the real app', async () => {
  const app = await startApp({ env: { CLICKHOUSE_URL: `${clickhouse.url}/wmsj_audit_app`, BACKFILL_SCALE: '0' } });
  try {
    const cookie = await app.login();
    const failLogin = (username: string) =>
      app.fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: 'not the password' }),
      });
    const read = async (query: string) => {
      const response = await app.fetch(`/api/v1/audit?${query}`, { headers: { cookie } });
      return { status: response.status, page: (await response.json()) as AuditPage };
    };
    expect((await failLogin('before-away')).status).toBe(401);
    expect(await read('result=refused')).toMatchObject({ status: 200, page: { nodeOnly: false } });

    await clickhouse.kill();
    try {
      expect((await failLogin('while-away')).status).toBe(401);
      const away = await read('result=refused');
      expect(away.status).toBe(200);
      expect(away.page.nodeOnly).toBe(true);
      // Every refused act this node recorded, newest first, the one ClickHouse never had among them.
      expect(away.page.entries.map((e) => e.actor)).toEqual(['while-away', 'before-away']);
      expect(away.page.actions).toContain('auth.login_failed');
    } finally {
      await clickhouse.start();
    }
    const back = await read('actor=while-away');
    expect(back).toMatchObject({ status: 200, page: { nodeOnly: false } });
    expect(back.page.entries).toHaveLength(1);
  } finally {
    await app.close();
  }
});
