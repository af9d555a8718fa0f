/**
 * Rows that must reach ClickHouse and must never be lost on the way: each is appended at once to a
 * local journal (one JSON line, synchronously, before the act it records is answered), then written
 * to ClickHouse in blocks on an interval and whenever a reader asks (`flush`): a burst costs one
 * insert, not one each (an embedded insert holds the event loop). The journal moves aside while its
 * block is written and is removed once ClickHouse has it; a crash or a long refusal leaves it for the
 * next start or the next block. Rows carry their own key, so a block written twice (its answer lost,
 * then retried) collapses in the table (a ReplacingMergeTree on that key), and each block carries a
 * deduplication token too.
 *
 * The dispatch audit (dispatch/audit-trail.ts) and the auth audit (auth/audit.ts) both write so.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyBaseLogger as Logger } from 'fastify';

export interface JournaledWriterOptions<T> {
  dir: string;
  /** The journal's file in `dir` (`<name>.jsonl`; `<name>.writing.jsonl` while its block is written). */
  name: string;
  /** Writes a block; `token` deduplicates a re-sent block. */
  insert: (rows: T[], token: string) => Promise<void>;
  /** The block's deduplication token: the same rows, the same token. */
  token: (rows: T[], replay: boolean) => string;
  log: Logger;
  intervalMs: number;
  /**
   * Tries of a block before it waits for the next one (back in the journal and the queue): many where
   * a command waits for its record anyway, few where a reader waits for the flush.
   */
  attempts?: number;
}

export class JournaledWriter<T> {
  private buffer: T[] = [];
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private readonly journal: string;
  private readonly aside: string;

  constructor(private readonly o: JournaledWriterOptions<T>) {
    mkdirSync(o.dir, { recursive: true });
    this.journal = join(o.dir, `${o.name}.jsonl`);
    this.aside = join(o.dir, `${o.name}.writing.jsonl`);
  }

  /** Writes what a previous run journaled but may not have written, then starts the timer. */
  async start(): Promise<void> {
    const left: T[] = [];
    for (const file of [this.aside, this.journal]) {
      if (!existsSync(file)) continue;
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        try {
          left.push(JSON.parse(line) as T);
        } catch {
          // A line cut by the crash: the act it describes was never answered.
        }
      }
    }
    if (left.length > 0) {
      await this.o.insert(left, this.o.token(left, true));
      this.o.log.info({ journal: this.o.name, records: left.length }, 'journal replayed');
    }
    rmSync(this.aside, { force: true });
    rmSync(this.journal, { force: true });
    this.timer = setInterval(() => void this.flush(), this.o.intervalMs);
  }

  /** Journals the row and queues it for ClickHouse. */
  append(row: T): void {
    appendFileSync(this.journal, `${JSON.stringify(row)}\n`, { mode: 0o600 });
    this.buffer.push(row);
  }

  /** Writes everything appended so far; resolves once ClickHouse has it or the block is back in the queue. */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.writeBlock());
    return this.writing;
  }

  /**
   * Runs `during` with no block written (a backup is reading ClickHouse and then the journal): rows
   * appended meanwhile stay in the journal, so the backup has each in one place or the other.
   */
  holding<R>(during: () => Promise<R>): Promise<R> {
    const result = this.writing.then(during);
    this.writing = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  private async writeBlock(): Promise<void> {
    const block = this.buffer;
    if (block.length === 0) return;
    this.buffer = [];
    // The journal moves aside while its block is written; new rows start a fresh one.
    renameSync(this.journal, this.aside);
    const token = this.o.token(block, false);
    const attempts = this.o.attempts ?? 20;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.o.insert(block, token);
        rmSync(this.aside, { force: true });
        return;
      } catch (error) {
        if (attempt >= attempts) {
          // Back in the journal (for a restart) and in the queue (for the next block), never dropped;
          // at once: a backoff now would only keep the flush's reader waiting for no try.
          appendFileSync(this.journal, readFileSync(this.aside), { mode: 0o600 });
          rmSync(this.aside, { force: true });
          this.buffer = [...block, ...this.buffer];
          this.o.log.error(
            { err: error, records: block.length, journal: this.o.name },
            'block left in the journal for the next write',
          );
          return;
        }
        this.o.log.warn({ err: error, attempt, journal: this.o.name }, 'journaled insert failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5_000, 100 * 2 ** (attempt - 1))));
      }
    }
  }
}
