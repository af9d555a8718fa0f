/**
 * Makes a backup (shared/backup.ts) of a running server, through the server itself — chdb keeps its
 * data directory locked to one process — or of a stopped one's data directory (`npm run backup`).
 *
 * Order: with the ingest writer held at its cut (Ingest.holding) and the dispatch audit's blocks
 * held (AuditTrail.holding), ClickHouse backs the database up, then the server's files are copied —
 * the write-ahead log and the audit journal last, so whatever was acknowledged while the store was
 * being copied is in them. The manifest is written last, atomically.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BACKUP_FORMAT, type BackupManifest } from '../../shared/backup.js';
import { SESSION_LOG } from '../auth/session-log.js';
import { backupDatabase } from '../store/backup-repository.js';
import type { Transport } from '../store/transport.js';

export const MANIFEST = 'manifest.json';
/** Inside a backup: ClickHouse's backup, and the copy of the server's files. */
export const STORE_PART = 'clickhouse';
export const FILES_PART = 'files';

export interface BackupSource {
  store: Transport;
  dataDir: string;
  /** Where the write-ahead log lives (WAL_DIR, or DATA_DIR/wal). */
  walDir: string;
  backupDir: string;
  /** Runs `during` at a consistent cut; `position` is the log position the store holds everything before. */
  hold: <T>(during: (position: number) => Promise<T>) => Promise<T>;
  now?: () => Date;
}

/** `wmsj-20261206T204712Z`: sortable, and a second backup within the same second gets `-2`. */
function freshName(backupDir: string, at: Date): string {
  const base = `wmsj-${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}`;
  let name = base;
  for (let n = 2; existsSync(join(backupDir, name)); n += 1) name = `${base}-${n}`;
  return name;
}

/**
 * The data directory's own entries: everything but ClickHouse's directory, a backup directory inside
 * it, and the session log — a restore must not bring back sessions people logged out of since (or
 * that an admin ended); after a restore, people log in again.
 */
function ownEntries(dataDir: string, backupDir: string): string[] {
  if (!existsSync(dataDir)) return [];
  return readdirSync(dataDir).filter((entry) => {
    const full = resolve(dataDir, entry);
    return entry !== STORE_PART && entry !== SESSION_LOG && full !== resolve(backupDir) && !entry.endsWith('.tmp');
  });
}

export async function createBackup(source: BackupSource): Promise<BackupManifest> {
  const started = performance.now();
  const createdAt = (source.now ?? (() => new Date()))();
  const backupDir = resolve(source.backupDir);
  mkdirSync(backupDir, { recursive: true, mode: 0o700 });
  const name = freshName(backupDir, createdAt);
  const path = join(backupDir, name);
  // Owner-only: the copy holds the accounts' hashes, the tokens and the session secret.
  mkdirSync(path, { mode: 0o700 });
  const files = join(path, FILES_PART);
  const walInside = resolve(source.walDir) === resolve(source.dataDir, 'wal');
  const made = source.hold(async (position) => {
    const storeBackup = await backupDatabase(source.store, join(path, STORE_PART));
    mkdirSync(files, { recursive: true });
    // The write-ahead log last: it holds what was acknowledged while the store was being copied.
    const entries = ownEntries(source.dataDir, backupDir).sort((a, b) => Number(a === 'wal') - Number(b === 'wal'));
    for (const entry of entries) cpSync(join(source.dataDir, entry), join(files, entry), { recursive: true });
    if (!walInside && existsSync(source.walDir)) cpSync(source.walDir, join(files, 'wal'), { recursive: true });
    return { store: storeBackup, walPosition: position, copied: [...entries, ...(walInside ? [] : ['wal'])] };
  });
  // A backup that failed half-way is removed rather than left to be mistaken for one.
  const { store, walPosition, copied } = await made.catch((error: unknown) => {
    rmSync(path, { recursive: true, force: true });
    throw error;
  });
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    name,
    path,
    createdAt: createdAt.toISOString(),
    walPosition,
    store,
    files: copied.sort(),
    durationMs: Math.round(performance.now() - started),
  };
  writeFileSync(join(path, `${MANIFEST}.tmp`), `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(join(path, `${MANIFEST}.tmp`), join(path, MANIFEST));
  return manifest;
}
