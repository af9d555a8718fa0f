import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../server/auth/passwords.js';
import { readUsers, seedUsers, UsersFileError } from '../../../server/auth/users.js';

const TOWNS = new Set(['I01', 'I02']);
const dir = () => mkdtempSync(join(tmpdir(), 'wmsj-users-'));
const write = (entries: unknown): string => {
  const file = join(dir(), 'users.json');
  writeFileSync(file, JSON.stringify(entries));
  return file;
};

describe('readUsers', () => {
  it('reads valid accounts and fills in name and scope', async () => {
    const passwordHash = await hashPassword('correct horse battery');
    const users = readUsers(
      write([
        { username: 'lead', role: 'leader', passwordHash },
        { username: 'd1', name: '调度一', role: 'dispatcher', scope: 'I02', passwordHash },
      ]),
      TOWNS,
    );
    expect(users.map(({ username, name, role, scope }) => ({ username, name, role, scope }))).toEqual([
      { username: 'lead', name: 'lead', role: 'leader', scope: 'district' },
      { username: 'd1', name: '调度一', role: 'dispatcher', scope: 'I02' },
    ]);
  });

  it('names every bad entry at once', async () => {
    const passwordHash = await hashPassword('correct horse battery');
    const file = write([
      { username: 'ok', role: 'admin', passwordHash },
      { username: 'wall', role: 'wall', passwordHash },
      { username: 'plain', role: 'leader', password: 'secret' },
      { username: 'd', role: 'dispatcher', passwordHash },
      { username: 'far', role: 'dispatcher', scope: 'I77', passwordHash },
      { username: 'OK', role: 'leader', passwordHash },
    ]);
    let message = '';
    try {
      readUsers(file, TOWNS);
    } catch (error) {
      expect(error).toBeInstanceOf(UsersFileError);
      message = (error as Error).message;
    }
    expect(message).toContain('entry 1 ("wall")');
    expect(message).toContain('entry 2 ("plain")');
    expect(message).toContain('entry 3 ("d"): a dispatcher needs a scope');
    expect(message).toContain('entry 4 ("far"): scope I77 is not a town of this network');
    expect(message).toContain('entry 5 ("OK"): username appears twice');
    expect(message).not.toContain('entry 0');
  });

  it('refuses a file that is not a JSON array', () => {
    expect(() => readUsers(write({ admin: 1 }), TOWNS)).toThrow(/JSON array/);
  });
});

describe('seedUsers', () => {
  it('writes an admin with the given password, hashed, owner-only, once', async () => {
    const file = join(dir(), 'users.json');
    expect(
      await seedUsers(file, { adminPassword: 'given admin password', demo: false, firstInstitute: 'I01' }),
    ).toEqual([]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain('given admin password');
    const [admin] = readUsers(file, TOWNS);
    expect(admin?.role).toBe('admin');
    expect(await verifyPassword(admin?.passwordHash ?? '', 'given admin password')).toBe(true);
    expect(await seedUsers(file, { adminPassword: '', demo: true, firstInstitute: 'I01' })).toEqual([]);
  });

  it('generates passwords to print once, demo accounts only when asked', async () => {
    const file = join(dir(), 'users.json');
    const created = await seedUsers(file, { adminPassword: '', demo: true, firstInstitute: 'I01' });
    expect(created.map((c) => c.username)).toEqual(['admin', 'leader', 'dispatcher', 'dispatcher-I01']);
    const users = readUsers(file, TOWNS);
    expect(users.find((u) => u.username === 'dispatcher-I01')?.scope).toBe('I01');
    for (const { username, password } of created) {
      const user = users.find((u) => u.username === username);
      expect(await verifyPassword(user?.passwordHash ?? '', password)).toBe(true);
    }
  });
});
