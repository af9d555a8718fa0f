import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { announceCreatedAccounts } from '../../server/auth/first-start.js';
import { loggerOptions } from '../../server/logger.js';

describe('log format', () => {
  it('is text on a terminal and JSON otherwise, unless configured', () => {
    const target = (format: 'auto' | 'pretty' | 'json', terminal: boolean) =>
      (loggerOptions({ LOG_LEVEL: 'info', LOG_FORMAT: format }, terminal).transport as { target?: string } | undefined)
        ?.target;
    expect(target('auto', true)).toBe('pino-pretty');
    expect(target('auto', false)).toBeUndefined();
    expect(target('json', true)).toBeUndefined();
    expect(target('pretty', false)).toBe('pino-pretty');
    expect(loggerOptions({ LOG_LEVEL: 'warn', LOG_FORMAT: 'pretty' }, false).level).toBe('warn');
  });
});

describe('first start accounts', () => {
  const accounts = [
    { username: 'admin', password: 'Secret-admin-123' },
    { username: 'leader', password: 'Secret-leader-456' },
  ];

  function announce(terminal: boolean) {
    const dir = mkdtempSync(join(tmpdir(), 'first-'));
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    let shown = '';
    const file = join(dir, 'initial-passwords');
    announceCreatedAccounts(log, accounts, {
      file,
      usersFile: join(dir, 'users.json'),
      terminal,
      write: (t) => (shown += t),
    });
    return { file, lines, shown };
  }

  it('keeps the passwords out of the log and in an owner-only file', () => {
    const { file, lines } = announce(false);
    expect(lines).toHaveLength(1);
    expect(lines.join('')).not.toContain('Secret-');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ usernames: ['admin', 'leader'], passwordFile: file });
    expect(readFileSync(file, 'utf8')).toBe('admin Secret-admin-123\nleader Secret-leader-456\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('shows the passwords in the banner only on a terminal', () => {
    const onTerminal = announce(true).shown;
    expect(onTerminal).toContain('admin');
    expect(onTerminal).toContain('Secret-admin-123');
    const piped = announce(false);
    expect(piped.shown).toContain(piped.file);
    expect(piped.shown).not.toContain('Secret-');
  });
});
