import { appendFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSessionLog, type StoredSession } from '../../../server/auth/session-log.js';

const file = () => join(mkdtempSync(join(tmpdir(), 'wmsj-sessions-')), 'sessions.jsonl');
const session = (n: number, expiresAt = 10_000): StoredSession => ({
  key: n.toString(16).padStart(32, '0'),
  username: `user${n}`,
  createdAt: 1_000,
  expiresAt,
});

describe('FileSessionLog', () => {
  it('gives back at the next open what was put and not removed, in an owner-only file', async () => {
    const path = file();
    const log = new FileSessionLog(path);
    expect(log.load(2_000)).toEqual([]);
    await log.put(session(1));
    await log.put(session(2));
    await log.put(session(3));
    await log.remove([session(2).key]);
    log.close();
    expect(new FileSessionLog(path).load(2_000)).toEqual([session(1), session(3)]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('drops expired sessions at open and compacts the log to the live ones', async () => {
    const path = file();
    const log = new FileSessionLog(path);
    log.load(0);
    await log.put(session(1, 5_000));
    await log.put(session(2, 9_000));
    await log.remove([session(1).key, 'f'.repeat(32)]);
    log.close();
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(3);
    expect(new FileSessionLog(path).load(9_000)).toEqual([]);
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('skips a torn last line and lines of another shape, keeping the rest', async () => {
    const path = file();
    const log = new FileSessionLog(path);
    log.load(0);
    await log.put(session(1));
    log.close();
    appendFileSync(path, '{"put":{"key":"00","username":"x"}}\n{"del":["0000');
    const reopened = new FileSessionLog(path);
    expect(reopened.load(2_000)).toEqual([session(1)]);
    expect(reopened.skipped).toBe(2);
  });
});
