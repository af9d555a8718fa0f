import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Lockout, type Attempt } from '../../../server/auth/lockout.js';

const MINUTE = 60_000;

/** Reserves and fails one attempt at `at`, as a wrong password does; true when it began a lockout. */
function wrong(lockout: Lockout, key: string, at: number): boolean {
  const attempt = lockout.reserve(key, at);
  if (attempt === null) throw new Error(`${key} is locked at ${at}`);
  return lockout.fail(attempt, at);
}

describe('Lockout', () => {
  it('locks a key at the fifth failure within the window, until the oldest ages out', () => {
    const lockout = new Lockout(5, 15 * MINUTE);
    const t0 = 1_000_000;
    for (let i = 0; i < 4; i += 1) expect(wrong(lockout, 'bob|1.2.3.4', t0 + i * MINUTE)).toBe(false);
    expect(lockout.lockedFor('bob|1.2.3.4', t0 + 4 * MINUTE)).toBe(0);
    expect(wrong(lockout, 'bob|1.2.3.4', t0 + 4 * MINUTE)).toBe(true);
    expect(lockout.reserve('bob|1.2.3.4', t0 + 5 * MINUTE)).toBeNull();
    expect(lockout.lockedFor('bob|1.2.3.4', t0 + 5 * MINUTE)).toBe(10 * MINUTE);
    expect(lockout.lockedFor('bob|1.2.3.4', t0 + 15 * MINUTE)).toBe(0);
  });

  it('takes the places before any password is checked: a sixth attempt sent at once is refused', () => {
    const lockout = new Lockout(5, 15 * MINUTE);
    const held = Array.from({ length: 5 }, () => lockout.reserve('bob|a', 0));
    expect(held.every((a) => a !== null)).toBe(true);
    expect(lockout.reserve('bob|a', 1)).toBeNull();
    // The five fail in any order: the lockout is reported once, by the failure that completes it.
    expect(held.reverse().map((a) => a !== null && lockout.fail(a, 2))).toEqual([false, false, false, false, true]);
  });

  it('gives every place back on a right password; a wrong guess checked meanwhile then counts for nothing', () => {
    const lockout = new Lockout(2, MINUTE);
    const guess = lockout.reserve('k', 0);
    const right = lockout.reserve('k', 0);
    expect(lockout.reserve('k', 0)).toBeNull();
    if (!guess || !right) throw new Error('no place');
    lockout.clear(right.key);
    expect(lockout.fail(guess, 1)).toBe(false);
    expect(lockout.lockedFor('k', 1)).toBe(0);
    expect(wrong(lockout, 'k', 2)).toBe(false);
  });

  it('counts per key: another address or user is not locked', () => {
    const lockout = new Lockout(2, MINUTE);
    wrong(lockout, 'bob|a', 0);
    wrong(lockout, 'bob|a', 1);
    expect(lockout.lockedFor('bob|a', 2)).toBeGreaterThan(0);
    expect(lockout.lockedFor('bob|b', 2)).toBe(0);
    expect(lockout.lockedFor('ann|a', 2)).toBe(0);
  });

  it('forgets attempts older than the window, and reports a lockout again when the window fills again', () => {
    const lockout = new Lockout(2, MINUTE);
    wrong(lockout, 'k', 0);
    expect(wrong(lockout, 'k', 10)).toBe(true);
    expect(lockout.reserve('k', MINUTE - 1)).toBeNull();
    // The first failure has aged out: one place is free, and its failure locks the key again.
    expect(wrong(lockout, 'k', MINUTE + 5)).toBe(true);
    expect(wrong(lockout, 'k', 3 * MINUTE)).toBe(false);
  });

  it('bounds its memory under made-up usernames', () => {
    const lockout = new Lockout(1, MINUTE, 3);
    for (const key of ['a', 'b', 'c', 'd']) wrong(lockout, key, 0);
    expect(lockout.lockedFor('a', 1)).toBe(0);
    expect(lockout.lockedFor('d', 1)).toBeGreaterThan(0);
  });

  it('never lets more than `max` attempts be checked in a window without a right password, however they interleave', () => {
    // Steps inside one window: an attempt arrives (wrong or right), or one in flight is answered.
    const step = fc.oneof(fc.record({ arrive: fc.boolean() }), fc.record({ settle: fc.nat({ max: 20 }) }));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(step, { maxLength: 80 }), (max, steps) => {
        const lockout = new Lockout(max, MINUTE);
        const inFlight: { attempt: Attempt; right: boolean }[] = [];
        let checkedSinceRight = 0;
        let lockouts = 0;
        steps.forEach((s, at) => {
          if ('arrive' in s) {
            const attempt = lockout.reserve('k', at);
            if (attempt === null) return;
            inFlight.push({ attempt, right: s.arrive });
            checkedSinceRight += 1;
            expect(checkedSinceRight).toBeLessThanOrEqual(max);
            return;
          }
          const [answered] = inFlight.splice(s.settle % Math.max(1, inFlight.length), 1);
          if (!answered) return;
          if (answered.right) {
            lockout.clear('k');
            checkedSinceRight = 0;
            lockouts = 0;
          } else if (lockout.fail(answered.attempt, at)) lockouts += 1;
          expect(lockouts).toBeLessThanOrEqual(1);
        });
      }),
    );
  });
});
