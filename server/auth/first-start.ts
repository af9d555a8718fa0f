/**
 * The first start's generated passwords, put where a person finds them and a log collector does
 * not: a file beside the accounts (0600, like the session secret), and a banner on stderr showing
 * them only when stderr is a terminal. The log line names the file, never a password: logs are
 * copied, shipped and kept (journald, a collector), and a secret in them outlives its rotation.
 */
import type { FastifyBaseLogger } from 'fastify';
import { writePrivate } from './files.js';

export interface CreatedAccount {
  username: string;
  password: string;
}

export interface Announcement {
  /** Where the passwords are written (owner-only). */
  file: string;
  usersFile: string;
  /** Shown on a terminal, or left to the file otherwise. */
  terminal: boolean;
  write: (text: string) => void;
}

export function banner(accounts: readonly CreatedAccount[], where: Pick<Announcement, 'file' | 'terminal'>): string {
  const rule = '='.repeat(72);
  const lines = where.terminal
    ? accounts.map((a) => `    ${a.username.padEnd(24)} ${a.password}`)
    : accounts.map((a) => `    ${a.username}`);
  return [
    '',
    rule,
    `  账号已创建 / ACCOUNTS CREATED — ${where.terminal ? 'note the passwords now' : 'passwords are in the file below'}`,
    ...lines,
    `  Written to ${where.file} (owner-only).`,
    '  Log in, change the password (deploy/README.md "Rotate the admin password"), delete that file.',
    rule,
    '',
  ].join('\n');
}

export function announceCreatedAccounts(
  log: FastifyBaseLogger,
  accounts: readonly CreatedAccount[],
  where: Announcement,
): void {
  if (accounts.length === 0) return;
  writePrivate(where.file, `${accounts.map((a) => `${a.username} ${a.password}`).join('\n')}\n`);
  where.write(banner(accounts, where));
  log.warn(
    { usernames: accounts.map((a) => a.username), passwordFile: where.file, users: where.usersFile },
    'accounts created: their passwords are in passwordFile (not in this log); change them and delete the file',
  );
}
