/**
 * The audit trail's writer: attempts are numbered as they are handled (`seq`), buffered and written
 * to ClickHouse in blocks, so a burst of commands costs a few inserts, not one each.
 */
import type { FastifyBaseLogger as Logger } from 'fastify';
import { insertAudit, type AuditRecord } from '../store/orders-repository.js';
import type { Transport } from '../store/transport.js';

export class AuditTrail {
  /** Microseconds since the epoch at start, then +1 per attempt: increasing across restarts too. */
  private seq = Date.now() * 1000;
  private buffer: AuditRecord[] = [];
  private writing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly store: Transport,
    private readonly log: Logger,
    intervalMs = 200,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
  }

  /** Numbers the attempt and queues it; answers the number. */
  record(entry: Omit<AuditRecord, 'seq'>): number {
    this.seq += 1;
    this.buffer.push({ ...entry, seq: this.seq });
    return this.seq;
  }

  /** Writes everything recorded so far; resolves once ClickHouse has it (retries a failed block). */
  flush(): Promise<void> {
    const block = this.buffer;
    this.buffer = [];
    if (block.length === 0) return this.writing;
    const token = `audit-${block[0]?.seq ?? 0}-${block.length}`;
    this.writing = this.writing.then(async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          await insertAudit(this.store, block, token);
          return;
        } catch (error) {
          this.log.warn({ err: error, attempt }, 'audit insert failed; retrying');
          if (attempt >= 20) {
            this.log.error({ lost: block.length }, 'audit block could not be written');
            return;
          }
          await new Promise((r) => setTimeout(r, Math.min(5_000, 100 * 2 ** attempt)));
        }
      }
    });
    return this.writing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
