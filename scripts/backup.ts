/**
 * `npm run backup`: a backup into BACKUP_DIR (shared/backup.ts).
 *
 * A running server makes it itself (`POST /api/v1/admin/backup`, as an admin): chdb keeps the data
 * directory locked to the server's process, and only the server can hold its ingest at a
 * consistent cut. With no server answering, the stopped server's data directory is backed up
 * directly; if a server does hold it after all (on another address), chdb refuses the lock and
 * nothing is touched.
 *
 *   npm run backup                         # the server at http://127.0.0.1:$PORT, or DATA_DIR if none
 *   npm run backup -- --url https://center.example --user admin
 *
 * The admin's password comes from WMSJ_PASSWORD (for a timer: an EnvironmentFile, 0600) or is asked
 * on the terminal.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { BackupManifest } from '../shared/backup.js';
import { createBackup } from '../server/backup/backup.js';
import { loadConfig } from '../server/config.js';
import { EmbeddedTransport } from '../server/store/embedded.js';

const { values } = parseArgs({ options: { url: { type: 'string' }, user: { type: 'string', default: 'admin' } } });
const config = loadConfig();
const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
const url = (values.url ?? `http://${host}:${config.PORT}`).replace(/\/$/, '');

async function password(): Promise<string> {
  const fromEnv = process.env['WMSJ_PASSWORD'];
  if (fromEnv) return fromEnv;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
  const answer = await rl.question(`password of ${values.user}: `);
  rl.close();
  return answer.trim();
}

async function online(): Promise<BackupManifest> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: values.user, password: await password() }),
  });
  const cookie = login.headers.get('set-cookie')?.split(';')[0];
  if (!login.ok || !cookie) throw new Error(`login at ${url} answered ${login.status}: ${await login.text()}`);
  const answer = await fetch(`${url}/api/v1/admin/backup`, { method: 'POST', headers: { cookie } });
  if (answer.status !== 201) throw new Error(`backup at ${url} answered ${answer.status}: ${await answer.text()}`);
  return (await answer.json()) as BackupManifest;
}

function checkpointOf(walDir: string): number {
  try {
    return Number(readFileSync(join(walDir, 'checkpoint'), 'utf8')) || 0;
  } catch {
    return 0; // no checkpoint yet: the whole log is replayed, skipping what the store holds
  }
}

async function offline(): Promise<BackupManifest> {
  if (!existsSync(join(config.DATA_DIR, 'clickhouse'))) throw new Error(`${config.DATA_DIR} holds no store to back up`);
  const store = new EmbeddedTransport(join(config.DATA_DIR, 'clickhouse'), { backupsDir: config.BACKUP_DIR });
  const walDir = config.WAL_DIR || join(config.DATA_DIR, 'wal');
  try {
    // Stopped: the store holds everything before the log's checkpoint; the rest is in the copied log.
    const checkpoint = checkpointOf(walDir);
    return await createBackup({
      store,
      dataDir: config.DATA_DIR,
      walDir,
      backupDir: config.BACKUP_DIR,
      hold: (during) => during(checkpoint),
    });
  } finally {
    await store.close();
  }
}

const running = await fetch(`${url}/api/health`).then(
  () => true,
  () => false,
);
process.stderr.write(
  running ? `asking the server at ${url}\n` : `no server at ${url}: backing up ${config.DATA_DIR}\n`,
);
const manifest = await (running ? online() : offline());
process.stdout.write(
  `${manifest.path}\n  ${manifest.store.events.toLocaleString('en')} events, ${(manifest.store.bytes / 1024 ** 2).toFixed(1)} MiB of store, ` +
    `files: ${manifest.files.join(' ')}; ${manifest.durationMs} ms\n`,
);
