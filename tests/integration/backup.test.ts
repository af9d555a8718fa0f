/**
 * Backup and restore on the real server and real chdb: a restored copy serves the same figures
 * with the same accounts and tokens, and a backup taken under ingest load keeps every event
 * acknowledged before it began — in the store itself, not only in the copied write-ahead log.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BackupManifest } from '../../shared/backup.js';
import type { IngestResult } from '../../shared/events.js';
import { checkin } from '../helpers/events.js';
import { figures } from '../helpers/figures.js';
import { runScript } from '../helpers/ops.js';
import { eventually, startServer, type RunningServer } from '../helpers/server.js';
import { storedCounts } from '../helpers/store.js';

const running = new Set<RunningServer>();
afterAll(async () => {
  for (const server of running) await server.stop();
});

async function start(options: Parameters<typeof startServer>[0]): Promise<RunningServer> {
  const server = await startServer(options);
  running.add(server);
  return server;
}
async function stop(server: RunningServer): Promise<void> {
  running.delete(server);
  expect(await server.stop()).toBe(0);
}

async function backup(server: RunningServer, cookie: string): Promise<Response> {
  return fetch(`${server.url}/api/v1/admin/backup`, { method: 'POST', headers: { cookie } });
}

async function post(server: RunningServer, count: number): Promise<IngestResult> {
  const response = await fetch(`${server.url}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    body: JSON.stringify(
      Array.from({ length: count }, (_, i) => checkin({ volunteerId: `V${String(i).padStart(6, '0')}` })),
    ),
  });
  if (!response.ok) throw new Error(`ingest answered ${response.status}`);
  return (await response.json()) as IngestResult;
}

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

describe('backup and restore', () => {
  it('restores a copy that serves the same figures, accounts and tokens', async () => {
    const backups = tmp('wmsj-backups-');
    const original = await start({ env: { BACKUP_DIR: backups } });
    expect((await post(original, 40)).accepted).toBe(40);
    const wall = await original.wallToken();
    // Volunteers on duty and today's activities come with the evaluation after the flush.
    const before = await eventually(async () => {
      const read = await figures(original.url, wall);
      return read.kpi.volunteersActive >= 40 ? read : undefined;
    });

    // Only an admin may make one.
    expect(
      (
        await fetch(`${original.url}/api/v1/admin/backup`, {
          method: 'POST',
          headers: { authorization: `Bearer ${wall}` },
        })
      ).status,
    ).toBe(403);
    const answer = await backup(original, await original.login());
    expect(answer.status).toBe(201);
    const manifest = (await answer.json()) as BackupManifest;
    expect(manifest.path.startsWith(backups)).toBe(true);
    expect(manifest.files).toEqual(
      expect.arrayContaining(['users.json', 'tokens.json', 'audit.jsonl', 'session-secret', 'wal']),
    );
    // Sessions are not restored: a logout since the backup stays a logout.
    expect(manifest.files).not.toContain('sessions.jsonl');
    expect(readFileSync(join(original.dataDir, 'audit.jsonl'), 'utf8')).toContain(`"subject":"${manifest.name}"`);
    await stop(original);

    const restored = tmp('wmsj-restored-');
    const run = await runScript('restore', [manifest.path], { DATA_DIR: restored });
    expect(run.code, run.stderr).toBe(0);
    // Never over data: a second restore into the same directory is refused, and touches nothing.
    const again = await runScript('restore', [manifest.path], { DATA_DIR: restored });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is not empty');

    const copy = await start({ dataDir: restored });
    // The wall token made on the original, and the admin's password, work on the copy.
    expect(await figures(copy.url, wall)).toEqual(before);
    await copy.login();
    await stop(copy);
  });

  it('keeps every event acknowledged before a backup taken under ingest load', async () => {
    const backups = tmp('wmsj-backups-');
    // Batches wait for their age in the log: only the backup's own flush puts them into the store.
    const server = await start({
      env: { BACKUP_DIR: backups, FLUSH_MAX_AGE_MS: '60000', FLUSH_MAX_EVENTS: '1000000' },
    });
    const cookie = await server.login();
    const acked: string[] = [];
    let phase: 'before' | 'during' | 'after' = 'before';
    const ackedDuring: string[] = [];
    let stopSending = false;
    const senders = Array.from({ length: 3 }, async () => {
      for (let i = 0; i < 100_000 && !stopSending; i += 1) {
        const result = await post(server, 50);
        const ids = result.items.flatMap((item) => (item.status === 'accepted' && item.id ? [item.id] : []));
        (phase === 'during' ? ackedDuring : acked).push(...ids);
      }
    });
    while (acked.length < 3_000) await new Promise((r) => setTimeout(r, 50));

    const ackedBefore = [...acked]; // every ack answered before the backup is asked for
    phase = 'during';
    const answer = await backup(server, cookie);
    phase = 'after';
    expect(answer.status).toBe(201);
    const manifest = (await answer.json()) as BackupManifest;
    const afterCount = acked.length;
    while (acked.length < afterCount + 500) await new Promise((r) => setTimeout(r, 50));
    stopSending = true;
    await Promise.all(senders);
    expect(ackedDuring.length).toBeGreaterThan(0); // ingest kept acknowledging while the backup ran
    await stop(server);

    const restored = tmp('wmsj-restored-');
    const run = await runScript('restore', [manifest.path], { DATA_DIR: restored });
    expect(run.code, run.stderr).toBe(0);
    // In the store as restored, before any log replay: the cut is in ClickHouse itself.
    const inStore = await storedCounts(restored, ackedBefore);
    expect(ackedBefore.filter((id) => inStore.get(id) !== 1)).toEqual([]);
    expect(manifest.store.events).toBeGreaterThanOrEqual(ackedBefore.length);

    // Started, the copy writes the log's tail (what was acknowledged during the backup) once.
    await stop(await start({ dataDir: restored }));
    const all = await storedCounts(restored, [...ackedBefore, ...ackedDuring]);
    expect(ackedBefore.filter((id) => all.get(id) !== 1)).toEqual([]);
    expect([...all.values()].filter((n) => n !== 1)).toEqual([]);
  });
});
