/**
 * `npm run restore -- BACKUP_PATH`: restores a backup into DATA_DIR (and WAL_DIR if set), which
 * must be empty or absent, for a server that is stopped. Start the server on it afterwards: it
 * applies any newer migrations and writes the backup's log tail into the store.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RestoreError, restoreBackup } from '../server/backup/restore.js';
import { loadConfig } from '../server/config.js';

const { positionals } = parseArgs({ allowPositionals: true });
const [backupPath] = positionals;
if (!backupPath || positionals.length > 1) {
  process.stderr.write('usage: npm run restore -- BACKUP_PATH   (into DATA_DIR, which must be empty)\n');
  process.exit(2);
}
const config = loadConfig();
try {
  const manifest = await restoreBackup(backupPath, {
    dataDir: config.DATA_DIR,
    walDir: config.WAL_DIR || join(config.DATA_DIR, 'wal'),
  });
  process.stdout.write(
    `restored ${manifest.name} (${manifest.createdAt}, ${manifest.store.events.toLocaleString('en')} events) into ${config.DATA_DIR}\n`,
  );
} catch (error) {
  if (!(error instanceof RestoreError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
