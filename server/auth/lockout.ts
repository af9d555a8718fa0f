/**
 * Login attempts per username and address: each takes one of `max` places in a sliding window
 * before its password is checked, so at most `max` guesses are ever checked in a window, however
 * many arrive at once (counting after the check, which takes tens of milliseconds of Argon2, let
 * 24 guesses sent together all be checked). With no place left the pair is locked until the
 * oldest attempt ages out. A right password gives every place back; a person mistyping elsewhere
 * is not locked out by a guesser.
 */

import type { Awaitable } from './directories.js';

/** One attempt holding its place while its password is checked. */
export interface Attempt {
  readonly key: string;
  readonly at: number;
  failed: boolean;
  /** Names the attempt where it is kept outside this process (several nodes: lockout-redis.ts). */
  readonly id?: string;
}

/** The lockout the login goes through: this process's (Lockout) or the nodes' shared one (RedisLockout). */
export interface LoginLockout {
  reserve(key: string): Awaitable<Attempt | null>;
  fail(attempt: Attempt): Awaitable<boolean>;
  clear(key: string): Awaitable<void>;
  lockedFor(key: string): Awaitable<number>;
  entries(): Awaitable<{ key: string; failures: number; lockedForMs: number }[]>;
  clearWhere(matches: (key: string) => boolean): Awaitable<number>;
}

export class Lockout implements LoginLockout {
  private readonly attempts = new Map<string, Attempt[]>();

  constructor(
    private readonly max = 5,
    private readonly windowMs = 15 * 60_000,
    /** Bounds memory under a flood of made-up usernames: the oldest keys go first. */
    private readonly maxKeys = 10_000,
  ) {}

  /** Milliseconds until the key may try again; 0 when it may now. */
  lockedFor(key: string, now = Date.now()): number {
    const recent = this.recent(key, now);
    if (recent.length < this.max) return 0;
    const oldestCounted = recent[recent.length - this.max]?.at ?? now;
    return Math.max(0, oldestCounted + this.windowMs - now);
  }

  /** Takes a place for an attempt, before its password is checked; null when the key is locked. */
  reserve(key: string, now = Date.now()): Attempt | null {
    const recent = this.recent(key, now);
    if (recent.length >= this.max) return null;
    const attempt: Attempt = { key, at: now, failed: false };
    this.attempts.delete(key);
    this.attempts.set(key, [...recent, attempt]);
    if (this.attempts.size > this.maxKeys) {
      const oldest = this.attempts.keys().next().value;
      if (oldest !== undefined) this.attempts.delete(oldest);
    }
    return attempt;
  }

  /**
   * The attempt's password was wrong: its place stays taken. True when this failure is the one
   * that fills the window (the lockout begins), so a lockout is reported once.
   */
  fail(attempt: Attempt, now = Date.now()): boolean {
    const recent = this.recent(attempt.key, now);
    // Given back meanwhile (a right password) or forgotten: nothing left to lock.
    if (!recent.includes(attempt)) return false;
    attempt.failed = true;
    return recent.filter((a) => a.failed).length === this.max;
  }

  /** A right password: every place of the key is given back. */
  clear(key: string): void {
    this.attempts.delete(key);
  }

  /** Every key with failures in the window: how many, and how long it stays locked (0: not locked). */
  entries(now = Date.now()): { key: string; failures: number; lockedForMs: number }[] {
    return [...this.attempts.keys()]
      .map((key) => ({ key, failures: this.failures(key, now), lockedForMs: this.lockedFor(key, now) }))
      .filter((e) => e.failures > 0);
  }

  /** Forgets the attempts of every key `matches` picks; answers how many had failures still counted. */
  clearWhere(matches: (key: string) => boolean, now = Date.now()): number {
    const keys = [...this.attempts.keys()].filter(matches);
    const counted = keys.filter((k) => this.failures(k, now) > 0).length;
    for (const k of keys) this.attempts.delete(k);
    return counted;
  }

  private failures(key: string, now: number): number {
    return this.recent(key, now).filter((a) => a.failed).length;
  }

  private recent(key: string, now: number): Attempt[] {
    return (this.attempts.get(key) ?? []).filter((a) => a.at > now - this.windowMs);
  }
}
