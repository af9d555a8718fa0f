import { describe, expect, it } from 'vitest';
import { Lockout } from '../../server/auth/lockout.js';

const MINUTE = 60_000;

describe('Lockout', () => {
  it('locks a key at the fifth failure within the window, until the oldest ages out', () => {
    const lockout = new Lockout(5, 15 * MINUTE);
    const t0 = 1_000_000;
    for (let i = 0; i < 4; i += 1) expect(lockout.fail('bob|1.2.3.4', t0 + i * MINUTE)).toBe(false);
    expect(lockout.lockedFor('bob|1.2.3.4', t0 + 4 * MINUTE)).toBe(0);
    expect(lockout.fail('bob|1.2.3.4', t0 + 4 * MINUTE)).toBe(true);
    expect(lockout.lockedFor('bob|1.2.3.4', t0 + 5 * MINUTE)).toBe(10 * MINUTE);
    expect(lockout.lockedFor('bob|1.2.3.4', t0 + 15 * MINUTE)).toBe(0);
  });
  it('counts failures per key: another address or user is not locked', () => {
    const lockout = new Lockout(2, MINUTE);
    lockout.fail('bob|a', 0);
    lockout.fail('bob|a', 1);
    expect(lockout.lockedFor('bob|a', 2)).toBeGreaterThan(0);
    expect(lockout.lockedFor('bob|b', 2)).toBe(0);
    expect(lockout.lockedFor('ann|a', 2)).toBe(0);
  });
  it('forgets failures older than the window and on clear', () => {
    const lockout = new Lockout(2, MINUTE);
    lockout.fail('k', 0);
    expect(lockout.fail('k', 2 * MINUTE)).toBe(false);
    lockout.fail('k', 2 * MINUTE + 1);
    lockout.clear('k');
    expect(lockout.lockedFor('k', 2 * MINUTE + 2)).toBe(0);
  });
  it('bounds its memory under made-up usernames', () => {
    const lockout = new Lockout(1, MINUTE, 3);
    for (const key of ['a', 'b', 'c', 'd']) lockout.fail(key, 0);
    expect(lockout.lockedFor('a', 1)).toBe(0);
    expect(lockout.lockedFor('d', 1)).toBeGreaterThan(0);
  });
});
