/**
 * Failed logins per username and address: after `max` failures within `windowMs` the pair is
 * locked until the oldest of them ages out of the window. Guessing one account from one place is
 * stopped; a person mistyping elsewhere is not locked out by it.
 */
export class Lockout {
  private readonly failures = new Map<string, number[]>();

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
    const oldestCounted = recent[recent.length - this.max] ?? now;
    return Math.max(0, oldestCounted + this.windowMs - now);
  }

  /** Records a failure; true when it locks the key. */
  fail(key: string, now = Date.now()): boolean {
    const recent = [...this.recent(key, now), now];
    this.failures.delete(key);
    this.failures.set(key, recent);
    if (this.failures.size > this.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
    return recent.length >= this.max;
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  /** Every key with failures in the window: how many, and how long it stays locked (0: not locked). */
  entries(now = Date.now()): { key: string; failures: number; lockedForMs: number }[] {
    return [...this.failures.keys()]
      .map((key) => ({ key, failures: this.recent(key, now).length, lockedForMs: this.lockedFor(key, now) }))
      .filter((e) => e.failures > 0);
  }

  /** Forgets the failures of every key `matches` picks; answers how many had failures still counted. */
  clearWhere(matches: (key: string) => boolean, now = Date.now()): number {
    const keys = [...this.failures.keys()].filter(matches);
    const counted = keys.filter((k) => this.recent(k, now).length > 0).length;
    for (const k of keys) this.failures.delete(k);
    return counted;
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
  }
}
