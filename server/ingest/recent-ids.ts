/**
 * A bounded set of recently seen event ids, to refuse re-sends cheaply: the newest `capacity` / 2
 * ids at least and `capacity` at most, in two generations — when the current one holds half the
 * capacity it becomes the previous one and the oldest generation is dropped whole.
 *
 * Why not one Set evicting its oldest key on every add: V8 leaves a hole for each deleted entry
 * until the table is rebuilt, and `values().next()` walks past every hole, so each eviction costs
 * more than the last. The soak found it: once 2,000,000 ids were held, ingest slowed until the
 * event loop stalled for 20 s. Dropping a generation whole costs nothing per add.
 *
 * Why not Sets of strings at all: 2,000,000 id strings are ≈ 180 MB of small objects on the heap.
 * Every id survives its first garbage collections, so each young-generation collection copied the
 * ids accepted since the last one, and the Sets' own tables were rebuilt as they grew — pauses of
 * 100–150 ms each (a fill of 3,000,000 ids, measured). An event id is a UUID: here it is four 32-bit
 * words in an open-addressing table of typed arrays, which the collector does not look into, and
 * the id string dies young. Anything not spelled as a lower-case UUID (ids are validated and lower-
 * cased by ingest, so only tests and a hand-made call) is kept as a string beside it, with the same
 * answers.
 */
export class RecentIds {
  private current: IdTable;
  private previous: IdTable;
  private readonly generation: number;

  constructor(capacity: number) {
    this.generation = Math.max(1, Math.floor(capacity / 2));
    // Half full at most once a generation is complete, so a probe ends after a step or two.
    const slots = 2 ** Math.ceil(Math.log2(Math.max(8, this.generation * 2)));
    this.current = new IdTable(slots);
    this.previous = new IdTable(slots);
  }

  has(id: string): boolean {
    if (!toWords(id)) return this.current.others.has(id) || this.previous.others.has(id);
    return this.current.hasWords() || this.previous.hasWords();
  }

  add(id: string): void {
    if (toWords(id)) {
      // One probe of the current table finds the id or its free slot: a look-up and then an
      // insert probed it twice for every accepted event.
      if (this.previous.hasWords() || !this.current.addWords()) return;
    } else {
      if (this.current.others.has(id) || this.previous.others.has(id)) return;
      this.current.others.add(id);
      this.current.size += 1;
    }
    if (this.current.size >= this.generation) {
      const dropped = this.previous;
      this.previous = this.current;
      dropped.clear();
      this.current = dropped;
    }
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }
}

/** The id being looked up, as four words (the table's key); filled by `toWords`. */
const WORDS = new Uint32Array(4);

/** A lower-case hex digit's value, -1 for anything else. */
function hex(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** Puts a lower-case UUID's 128 bits into WORDS; false when `id` is not one. */
function toWords(id: string): boolean {
  if (id.length !== 36) return false;
  let word = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i < 36; i += 1) {
    const code = id.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (code !== 45) return false; // '-'
      continue;
    }
    const v = hex(code);
    if (v < 0) return false;
    value = value * 16 + v;
    digits += 1;
    if (digits === 8) {
      WORDS[word] = value;
      word += 1;
      value = 0;
      digits = 0;
    }
  }
  return true;
}

/** One generation: UUIDs in an open-addressing table (linear probing), other ids in a Set. */
class IdTable {
  private slots: Uint32Array;
  private readonly mask: number;
  /** The all-zero UUID, whose words mark an empty slot. */
  private nil = false;
  size = 0;
  readonly others = new Set<string>();

  /**
   * Full size from the start: the zeroed memory is the kernel's until a slot is written, and a
   * table grown by doubling rehashed 512 k ids at once (80 ms) on its last step.
   */
  constructor(slots: number) {
    this.slots = new Uint32Array(slots * 4);
    this.mask = slots - 1;
  }

  /** Whether WORDS is in the table. */
  hasWords(): boolean {
    const a = WORDS[0] ?? 0;
    const b = WORDS[1] ?? 0;
    const c = WORDS[2] ?? 0;
    const d = WORDS[3] ?? 0;
    if ((a | b | c | d) === 0) return this.nil;
    for (let i = slot(a, b, c, d) & this.mask; ; i = (i + 1) & this.mask) {
      const at = i * 4;
      const sa = this.slots[at] ?? 0;
      const sb = this.slots[at + 1] ?? 0;
      const sc = this.slots[at + 2] ?? 0;
      const sd = this.slots[at + 3] ?? 0;
      if ((sa | sb | sc | sd) === 0) return false;
      if (sa === a && sb === b && sc === c && sd === d) return true;
    }
  }

  /** Adds WORDS unless the table holds them already: whether it added them. */
  addWords(): boolean {
    const a = WORDS[0] ?? 0;
    const b = WORDS[1] ?? 0;
    const c = WORDS[2] ?? 0;
    const d = WORDS[3] ?? 0;
    if ((a | b | c | d) === 0) {
      if (this.nil) return false;
      this.nil = true;
      this.size += 1;
      return true;
    }
    let i = slot(a, b, c, d) & this.mask;
    for (; ; i = (i + 1) & this.mask) {
      const at = i * 4;
      const sa = this.slots[at] ?? 0;
      const sb = this.slots[at + 1] ?? 0;
      const sc = this.slots[at + 2] ?? 0;
      const sd = this.slots[at + 3] ?? 0;
      if ((sa | sb | sc | sd) === 0) break;
      if (sa === a && sb === b && sc === c && sd === d) return false;
    }
    const at = i * 4;
    this.slots[at] = a;
    this.slots[at + 1] = b;
    this.slots[at + 2] = c;
    this.slots[at + 3] = d;
    this.size += 1;
    return true;
  }

  /** A new zeroed table, not a fill: writing zeros over 32 MB took 60 ms where a fresh one costs nothing. */
  clear(): void {
    this.slots = new Uint32Array(this.slots.length);
    this.nil = false;
    this.size = 0;
    this.others.clear();
  }
}

/** Mixes all 128 bits (ids by time or by counter differ in a few), murmur3's finalizer on their sum. */
function slot(a: number, b: number, c: number, d: number): number {
  let h = a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca6b) ^ Math.imul(d, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
