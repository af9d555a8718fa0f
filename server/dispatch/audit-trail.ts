/**
 * The audit trail's writer. Each attempt is numbered as it is handled (`seq`) and appended at once
 * to a local journal (one JSON line, synchronously, before the command is answered), then written
 * to ClickHouse in blocks every 5 s and whenever a timeline is read: a burst of commands costs one
 * insert, not one each (an embedded insert holds the event loop). A crash loses nothing the
 * journal holds: the next start writes it to ClickHouse again (rows are keyed by order and seq, so
 * a repeat collapses).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyBaseLogger as Logger } from 'fastify';
import { insertAudit, type AuditRecord } from '../store/orders-repository.js';
import type { Transport } from '../store/transport.js';

const JOURNAL = 'dispatch-audit.jsonl';
const WRITING = 'dispatch-audit.writing.jsonl';

export class AuditTrail {
  /** Microseconds since the epoch at start, then +1 per attempt: increasing across restarts too. */
  private seq = Date.now() * 1000;
  private buffer: AuditRecord[] = [];
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Transport,
    private readonly dir: string,
    private readonly log: Logger,
    private readonly intervalMs = 5_000,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /** Writes what a previous run journaled but may not have written, then starts the timer. */
  async start(): Promise<void> {
    const left: AuditRecord[] = [];
    for (const name of [WRITING, JOURNAL]) {
      const file = join(this.dir, name);
      if (!existsSync(file)) continue;
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        try {
          left.push(JSON.parse(line) as AuditRecord);
        } catch {
          // A line cut by the crash: the command it describes was never answered.
        }
      }
    }
    if (left.length > 0) {
      await insertAudit(this.store, left, `audit-replay-${left[0]?.seq ?? 0}-${left.length}`);
      this.log.info({ records: left.length }, 'audit journal replayed');
    }
    rmSync(join(this.dir, WRITING), { force: true });
    rmSync(join(this.dir, JOURNAL), { force: true });
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
  }

  /** Numbers the attempt, journals it and queues it for ClickHouse; answers the number. */
  record(entry: Omit<AuditRecord, 'seq'>): number {
    this.seq += 1;
    const record = { ...entry, seq: this.seq };
    appendFileSync(join(this.dir, JOURNAL), `${JSON.stringify(record)}\n`, { mode: 0o600 });
    this.buffer.push(record);
    return this.seq;
  }

  /** Writes everything recorded so far; resolves once ClickHouse has it (retries a failed block). */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.writeBlock());
    return this.writing;
  }

  /**
   * Runs `during` with no block written (a backup is reading ClickHouse and then the journal):
   * attempts recorded meanwhile stay in the journal, so the backup has each one in one place or
   * the other. Blocks due meanwhile are written after it.
   */
  holding<T>(during: () => Promise<T>): Promise<T> {
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
    // The journal moves aside while its block is written; new attempts start a fresh one.
    renameSync(join(this.dir, JOURNAL), join(this.dir, WRITING));
    const token = `audit-${block[0]?.seq ?? 0}-${block.length}`;
    for (let attempt = 0; ; attempt++) {
      try {
        await insertAudit(this.store, block, token);
        rmSync(join(this.dir, WRITING), { force: true });
        return;
      } catch (error) {
        this.log.warn({ err: error, attempt }, 'audit insert failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5_000, 100 * 2 ** attempt)));
        if (attempt >= 20) {
          // Kept in the journal for the next start rather than dropped.
          appendFileSync(join(this.dir, JOURNAL), readFileSync(join(this.dir, WRITING)));
          rmSync(join(this.dir, WRITING), { force: true });
          this.log.error({ records: block.length }, 'audit block left in the journal for the next start');
          return;
        }
      }
    }
  }
}
