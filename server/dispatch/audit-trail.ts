/**
 * The audit trail's writer. Each attempt is numbered as it is handled (`seq`) and appended at once
 * to a local journal (DATA_DIR/dispatch-audit.jsonl, synchronously, before the command is
 * answered), then written to ClickHouse in blocks every 5 s and whenever a timeline is read
 * (store/journaled-writer.ts). A crash loses nothing the journal holds: the next start writes it
 * to ClickHouse again (rows are keyed by order and seq, so a repeat collapses).
 */
import type { FastifyBaseLogger as Logger } from 'fastify';
import { JournaledWriter } from '../store/journaled-writer.js';
import { insertAudit, type AuditRecord } from '../store/orders-repository.js';
import type { Transport } from '../store/transport.js';

export class AuditTrail {
  /** Microseconds since the epoch at start, then +1 per attempt: increasing across restarts too. */
  private seq = Date.now() * 1000;
  private readonly writer: JournaledWriter<AuditRecord>;

  constructor(store: Transport, dir: string, log: Logger, intervalMs = 5_000) {
    this.writer = new JournaledWriter<AuditRecord>({
      dir,
      name: 'dispatch-audit',
      insert: (rows, token) => insertAudit(store, rows, token),
      token: (rows, replay) => `audit-${replay ? 'replay-' : ''}${rows[0]?.seq ?? 0}-${rows.length}`,
      log,
      intervalMs,
    });
  }

  /** Writes what a previous run journaled but may not have written, then starts the timer. */
  start(): Promise<void> {
    return this.writer.start();
  }

  /** Numbers the attempt, journals it and queues it for ClickHouse; answers the number. */
  record(entry: Omit<AuditRecord, 'seq'>): number {
    this.seq += 1;
    this.writer.append({ ...entry, seq: this.seq });
    return this.seq;
  }

  /** Writes everything recorded so far; resolves once ClickHouse has it (retries a failed block). */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /**
   * Runs `during` with no block written (a backup is reading ClickHouse and then the journal):
   * attempts recorded meanwhile stay in the journal, so the backup has each one in one place or
   * the other. Blocks due meanwhile are written after it.
   */
  holding<T>(during: () => Promise<T>): Promise<T> {
    return this.writer.holding(during);
  }

  close(): Promise<void> {
    return this.writer.close();
  }
}
