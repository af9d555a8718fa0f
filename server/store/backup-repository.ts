/**
 * ClickHouse's own BACKUP and RESTORE of the database (every table, view and part, with the
 * schema), to a directory on the local disk (the `File` engine, inside `backups.allowed_path`).
 * The backup runs ASYNC, in the engine's own threads: the wall's queries go on meanwhile instead of
 * queueing behind one statement that copies the whole store.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Transport } from './transport.js';

interface BackupRow {
  status: string;
  error: string;
  num_files: number;
  total_size: number;
}

export interface StoreBackup {
  files: number;
  bytes: number;
  /** Rows in `events` at the cut. */
  events: number;
  /** The newest migration the backup holds. */
  schemaVersion: number;
}

const POLL_MS = 100;

/** Backs the current database up into `dir` (absolute, not yet existing); resolves when it is complete. */
export async function backupDatabase(t: Transport, dir: string): Promise<StoreBackup> {
  const [started] = await t.query<{ id: string; status: string }>(
    `BACKUP DATABASE ${await currentDatabase(t)} TO File({dir:String}) ASYNC`,
    { dir },
  );
  if (!started) throw new Error('BACKUP answered nothing');
  for (;;) {
    const [row] = await t.query<BackupRow>(
      'SELECT status, error, num_files, total_size FROM system.backups WHERE id = {id:String}',
      { id: started.id },
    );
    if (row?.status === 'BACKUP_CREATED') {
      const [events] = await t.query<{ n: number }>('SELECT count() AS n FROM events');
      const [schema] = await t.query<{ v: number }>('SELECT max(version) AS v FROM schema_migrations');
      return { files: row.num_files, bytes: row.total_size, events: events?.n ?? 0, schemaVersion: schema?.v ?? 0 };
    }
    if (!row || row.status !== 'CREATING_BACKUP')
      throw new Error(`BACKUP ${row?.status ?? 'vanished'}: ${row?.error ?? ''}`);
    await sleep(POLL_MS);
  }
}

/** Restores a backup made by `backupDatabase` into an empty store. */
export async function restoreDatabase(t: Transport, dir: string): Promise<void> {
  await t.command(`RESTORE DATABASE ${await currentDatabase(t)} FROM File({dir:String})`, { dir });
}

/** Tables in the current database: a store to restore into must have none. */
export async function tableCount(t: Transport): Promise<number> {
  const [row] = await t.query<{ n: number }>(
    'SELECT count() AS n FROM system.tables WHERE database = currentDatabase()',
  );
  return row?.n ?? 0;
}

/**
 * The database's name, quoted for BACKUP and RESTORE, whose grammar takes no bound identifier: it is
 * ClickHouse's own answer (never a caller's), and anything but a plain name is refused.
 */
async function currentDatabase(t: Transport): Promise<string> {
  const [row] = await t.query<{ db: string }>('SELECT currentDatabase() AS db');
  const name = row?.db ?? '';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`unexpected database name ${JSON.stringify(name)}`);
  return `\`${name}\``;
}
