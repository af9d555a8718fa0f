/**
 * The center's backup by store transport (`POST /api/v1/admin/backup`): on chdb it backs the store
 * up itself; on a ClickHouse server (the suite's HTTP leg) the store is that server's to back up, so
 * it refuses with 409 BACKUP_EXTERNAL_STORE and writes nothing into BACKUP_DIR.
 */
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupManifest } from '../../../shared/backup.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { TEST_TRANSPORT } from '../../helpers/test-store.js';

let server: TestApp;

beforeAll(async () => {
  server = await startApp({ env: { BACKFILL_SCALE: '0' } });
});
afterAll(async () => {
  await server.close();
});

describe(`the backup on the ${TEST_TRANSPORT} store`, () => {
  it(TEST_TRANSPORT === 'http' ? 'is refused: the server backs its store up' : 'backs the store up', async () => {
    const answer = await server.fetch('/api/v1/admin/backup', {
      method: 'POST',
      headers: { cookie: await server.login() },
    });
    const backups = existsSync(server.config.BACKUP_DIR) ? readdirSync(server.config.BACKUP_DIR) : [];
    if (TEST_TRANSPORT === 'http') {
      expect(answer.status).toBe(409);
      expect(await answer.json()).toMatchObject({ code: 'BACKUP_EXTERNAL_STORE' });
      expect(backups).toEqual([]);
    } else {
      expect(answer.status).toBe(201);
      const manifest = (await answer.json()) as BackupManifest;
      expect(backups).toEqual([manifest.name]);
    }
  });
});
