/**
 * Restores a backup (server/backup/backup.ts) into an empty data directory, for a server that is
 * not running: ClickHouse's RESTORE of the store, then the server's files copied back. The next
 * start applies any newer migrations and writes the copied write-ahead log's tail into the store
 * (skipping what it already holds), as after any stop.
 */
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Compile } from 'typebox/compile';
import { BackupManifestSchema, type BackupManifest } from '../../shared/backup.js';
import { restoreDatabase, tableCount } from '../store/backup-repository.js';
import { EmbeddedTransport } from '../store/embedded.js';
import { loadMigrations } from '../store/migrate.js';
import { FILES_PART, MANIFEST, STORE_PART } from './backup.js';

const manifestCheck = Compile(BackupManifestSchema);

export class RestoreError extends Error {}

export function readManifest(backupPath: string): BackupManifest {
  const file = join(backupPath, MANIFEST);
  if (!existsSync(file)) throw new RestoreError(`${backupPath} has no ${MANIFEST}: not a backup, or an incomplete one`);
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    manifest = undefined;
  }
  if (!manifestCheck.Check(manifest)) throw new RestoreError(`${file} is not a backup manifest this release reads`);
  const newest = loadMigrations().at(-1)?.version ?? 0;
  if (manifest.store.schemaVersion > newest) {
    throw new RestoreError(
      `the backup's store is at migration ${manifest.store.schemaVersion}, this release knows up to ${newest}: restore it with a newer release`,
    );
  }
  return manifest;
}

export interface RestoreTarget {
  dataDir: string;
  /** WAL_DIR, or DATA_DIR/wal. */
  walDir: string;
}

/** Refuses a data directory that holds anything: a restore never mixes with or overwrites data. */
function assertEmpty(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new RestoreError(`${dir} is not empty: move it aside (or name another DATA_DIR) and restore again`);
  }
}

export async function restoreBackup(backupPath: string, target: RestoreTarget): Promise<BackupManifest> {
  const path = resolve(backupPath);
  const manifest = readManifest(path);
  const walInside = resolve(target.walDir) === resolve(target.dataDir, 'wal');
  assertEmpty(target.dataDir);
  if (!walInside) assertEmpty(target.walDir);
  const store = new EmbeddedTransport(join(target.dataDir, STORE_PART), { backupsDir: dirname(path) });
  try {
    if ((await tableCount(store)) > 0) throw new RestoreError(`${target.dataDir} already holds a store`);
    await restoreDatabase(store, join(path, STORE_PART));
  } finally {
    await store.close();
  }
  for (const entry of readdirSync(join(path, FILES_PART))) {
    const to = entry === 'wal' ? target.walDir : join(target.dataDir, entry);
    cpSync(join(path, FILES_PART, entry), to, { recursive: true });
  }
  return manifest;
}
