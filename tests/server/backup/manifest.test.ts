import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BackupManifest } from '../../../shared/backup.js';
import { readManifest, RestoreError } from '../../../server/backup/restore.js';
import { loadMigrations } from '../../../server/store/migrate.js';

const newest = loadMigrations().at(-1)?.version ?? 0;

function backupWith(manifest: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'wmsj-manifest-'));
  if (manifest !== undefined) writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

const manifest = (schemaVersion: number): BackupManifest => ({
  format: 1,
  name: 'wmsj-20261206T211517Z',
  path: '/var/lib/wmsj/backups/wmsj-20261206T211517Z',
  createdAt: '2026-12-06T21:15:17.370Z',
  walPosition: 4096,
  store: { events: 918_882, files: 1892, bytes: 56_282_053, schemaVersion },
  files: ['users.json', 'wal'],
  durationMs: 1211,
});

describe('a backup to restore', () => {
  it('is read when its store is at this release’s migrations or older', () => {
    expect(readManifest(backupWith(manifest(newest))).store.events).toBe(918_882);
    expect(readManifest(backupWith(manifest(1))).store.schemaVersion).toBe(1);
  });

  it('is refused without a manifest, with a foreign one, or from a newer release', () => {
    expect(() => readManifest(backupWith(undefined))).toThrow(/no manifest.json.*incomplete/);
    expect(() => readManifest(backupWith({ format: 2 }))).toThrow(RestoreError);
    const torn = backupWith(undefined);
    writeFileSync(join(torn, 'manifest.json'), '{"format":');
    expect(() => readManifest(torn)).toThrow(RestoreError);
    expect(() => readManifest(backupWith(manifest(newest + 1)))).toThrow(
      `the backup's store is at migration ${newest + 1}, this release knows up to ${newest}`,
    );
  });
});
