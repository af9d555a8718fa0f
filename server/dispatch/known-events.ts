/**
 * Ids of the dispatch events written lately (the last day's, loaded at start, and every one
 * written since): a command whose event is among them was applied before, a restart included.
 * Bounded: the oldest go first.
 */
const KEPT = 500_000;

export class KnownEvents {
  private readonly ids = new Set<string>();

  constructor(private readonly kept = KEPT) {}

  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.kept) {
      const first = this.ids.values().next();
      if (!first.done) this.ids.delete(first.value);
    }
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }
}
