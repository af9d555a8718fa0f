/**
 * A bounded set of recently seen event ids, to refuse re-sends cheaply: the newest `capacity` / 2
 * ids at least and `capacity` at most, in two generations — when the current one holds half the
 * capacity it becomes the previous one and the oldest generation is dropped whole.
 *
 * Why not one Set evicting its oldest key on every add: V8 leaves a hole for each deleted entry
 * until the table is rebuilt, and `values().next()` walks past every hole, so each eviction costs
 * more than the last. The soak found it: once 2,000,000 ids were held, ingest slowed until the
 * event loop stalled for 20 s. Dropping a generation whole costs nothing per add.
 */
export class RecentIds {
  private current = new Set<string>();
  private previous = new Set<string>();
  private readonly generation: number;

  constructor(capacity: number) {
    this.generation = Math.max(1, Math.floor(capacity / 2));
  }

  has(id: string): boolean {
    return this.current.has(id) || this.previous.has(id);
  }

  add(id: string): void {
    if (this.has(id)) return;
    this.current.add(id);
    if (this.current.size >= this.generation) {
      this.previous = this.current;
      this.current = new Set();
    }
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }
}
