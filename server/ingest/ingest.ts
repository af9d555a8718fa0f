/**
 * Ingest: validate → write-ahead log (fsync) → ack → batch into ClickHouse. Raw deltas go to the
 * live hub as soon as they are durable; the background writer moves whole log records into
 * ClickHouse by size and age, and checkpoints the log only after ClickHouse has them.
 */
import { randomInt } from 'node:crypto';
import type { FastifyBaseLogger as Logger } from 'fastify';
import { IngestItemStatus, type IngestItemResult, type IngestResult, type PracticeEvent } from '../../shared/events.js';
import { Errors } from '../errors.js';
import {
  existingIds,
  fromLine,
  insertEvents,
  lineId,
  recentIds,
  toNdjson,
  toRow,
  type EventRow,
} from '../store/events-repository.js';
import type { Transport } from '../store/transport.js';
import { RecentIds } from './recent-ids.js';
import { EventSource, validateEvent } from './validate.js';
import { DeadLetter, insertIsolating, isDataError } from './dead-letter.js';
import { WriteAheadLog } from './wal.js';

/** A log record waiting for ClickHouse: its compact NDJSON rows, exactly as they will be sent. */
interface PendingRecord {
  end: number;
  payload: Buffer;
  count: number;
  acceptedAt: number;
}

export interface IngestOptions {
  walDir: string;
  maxWalBytes: number;
  flushMaxEvents: number;
  flushMaxAgeMs: number;
  /** node id → its 所 id ('' for the center); unknown ids are refused. */
  nodes: ReadonlyMap<string, string>;
  log: Logger;
  /** Raw deltas for the live hub; `position` orders them against `onFlushed`. */
  onAccepted: (events: readonly PracticeEvent[], position: number) => void;
  /** Everything accepted up to `position` is now in ClickHouse. */
  onFlushed: (position: number) => void;
  /**
   * Rows of the log's tail replayed at start that ClickHouse did not hold: accepted before a crash
   * and not yet stored, so the hub's live figures (live/figures.ts), read from the store, lack them.
   */
  onReplayed?: (rows: readonly EventRow[]) => void;
  /**
   * Starts every insert's deduplication token (default `wal`). Tokens name log positions, and the
   * logs of several nodes writing one store run through the same positions: each needs its own
   * prefix, or ClickHouse drops one node's block as a repeat of another's.
   */
  tokenPrefix?: string;
}

/** Running totals for /metrics. */
export interface IngestStats {
  accepted: number;
  duplicate: number;
  rejected: number;
  inserts: number;
  insertErrors: number;
  insertSeconds: number;
}

export interface IngestStatus {
  /** Rows ClickHouse refused as data, kept in the dead-letter file. */
  setAside: number;
  pending: number;
  lagMs: number;
  walBytes: number;
  lastError: string | null;
}

export class Ingest {
  private readonly wal: WriteAheadLog;
  private readonly deadLetter: DeadLetter;
  private readonly seen = new RecentIds(2_000_000);
  private pending: PendingRecord[] = [];
  private pendingEvents = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private lastError: string | null = null;
  private closed = false;
  /** While set, the writer sends nothing to ClickHouse (a backup is reading it); accepting goes on. */
  private held = false;
  /** Log position up to which ClickHouse holds everything (this run's inserts; the replay's start before). */
  private flushedThrough = 0;
  /** The backup holding the writer, which a stop lets finish (its cut would not be one otherwise). */
  private hold: Promise<void> | null = null;
  readonly stats: IngestStats = {
    accepted: 0,
    duplicate: 0,
    rejected: 0,
    inserts: 0,
    insertErrors: 0,
    insertSeconds: 0,
  };

  constructor(
    private readonly store: Transport,
    private readonly options: IngestOptions,
  ) {
    this.wal = new WriteAheadLog(options.walDir);
    this.deadLetter = new DeadLetter(options.walDir);
  }

  /** Replays the log's unflushed tail (skipping what ClickHouse already holds) and starts the writer. */
  async start(): Promise<void> {
    const records = await this.wal.open();
    this.flushedThrough = this.wal.checkpointed;
    for (const id of await recentIds(this.store, Date.now() - 24 * 3_600_000, 2_000_000)) this.seen.add(id);
    for (const record of records) {
      // A record may have reached ClickHouse before the crash without its checkpoint: skip those rows.
      const lines = record.payload
        .toString('utf8')
        .split('\n')
        .filter((l) => l.length > 0);
      const ids = lines.map(lineId);
      const stored = await existingIds(this.store, ids);
      const fresh = lines.filter((l) => !stored.has(lineId(l)));
      if (fresh.length > 0) this.options.onReplayed?.(fresh.map(fromLine));
      for (const id of ids) this.seen.add(id);
      const payload = Buffer.from(fresh.length > 0 ? `${fresh.join('\n')}\n` : '');
      this.enqueue({ end: record.end, payload, count: fresh.length, acceptedAt: Date.now() });
    }
    if (records.length > 0) this.options.log.info({ records: records.length }, 'replaying write-ahead log');
    this.timer = setInterval(() => void this.maybeFlush(), Math.max(5, Math.floor(this.options.flushMaxAgeMs / 2)));
  }

  /** Validates each item; appends the accepted ones to the log; answers per item. */
  async submit(items: readonly unknown[], from: EventSource = EventSource.device): Promise<IngestResult> {
    if (this.closed || this.wal.pendingBytes >= this.options.maxWalBytes) throw new Errors.INGEST_BACKPRESSURE();
    const now = Date.now();
    const results: IngestItemResult[] = [];
    const accepted: PracticeEvent[] = [];
    const inBatch = new Set<string>();
    for (const item of items) {
      const verdict = validateEvent(item, (id) => this.options.nodes.has(id), now, from);
      // ClickHouse prints UUIDs in lower case; one spelling keeps duplicate checks exact.
      if (verdict.ok) verdict.event.id = verdict.event.id.toLowerCase();
      if (!verdict.ok) {
        const id = (item as { id?: unknown } | null)?.id;
        results.push({
          id: typeof id === 'string' ? id : null,
          status: IngestItemStatus.rejected,
          code: verdict.code,
          reason: verdict.reason,
        });
      } else if (this.seen.has(verdict.event.id) || inBatch.has(verdict.event.id)) {
        results.push({ id: verdict.event.id, status: IngestItemStatus.duplicate });
      } else {
        inBatch.add(verdict.event.id);
        accepted.push(verdict.event);
        results.push({ id: verdict.event.id, status: IngestItemStatus.accepted });
      }
    }
    if (accepted.length > 0) {
      const payload = toNdjson(accepted.map((e) => toRow(e, this.options.nodes.get(e.nodeId) ?? '')));
      let end: number;
      try {
        end = await this.wal.append(payload);
      } catch (error) {
        this.options.log.error({ err: error }, 'write-ahead log append failed');
        throw new Errors.INGEST_BACKPRESSURE();
      }
      for (const e of accepted) this.seen.add(e.id);
      this.enqueue({ end, payload, count: accepted.length, acceptedAt: now });
      this.options.onAccepted(accepted, end);
    }
    const count = (s: string) => results.filter((r) => r.status === s).length;
    const answer = {
      accepted: accepted.length,
      duplicate: count('duplicate'),
      rejected: count('rejected'),
      items: results,
    };
    this.stats.accepted += answer.accepted;
    this.stats.duplicate += answer.duplicate;
    this.stats.rejected += answer.rejected;
    return answer;
  }

  status(): IngestStatus {
    const oldest = this.pending[0];
    return {
      setAside: this.deadLetter.count,
      pending: this.pendingEvents,
      lagMs: oldest ? Date.now() - oldest.acceptedAt : 0,
      walBytes: this.wal.pendingBytes,
      lastError: this.lastError,
    };
  }

  /**
   * A consistent cut for a backup: first everything accepted before the call is written into
   * ClickHouse, then `during` runs with the writer held — no insert reaches any table, so the
   * events and every rollup fed from them agree — and gets the log position the store holds
   * everything up to. Accepting goes on meanwhile: new events wait in the write-ahead log (and
   * count against WAL_MAX_BYTES), and go to ClickHouse once `during` ends.
   */
  async holding<T>(during: (position: number) => Promise<T>): Promise<T> {
    if (this.held) throw new Error('ingest is already held');
    this.held = true;
    const hold = (async () => {
      const cut = this.pending.at(-1)?.end ?? this.flushedThrough;
      await this.flushing;
      const behind = () => (this.pending[0]?.end ?? Infinity) <= cut;
      while (behind() && !this.closed) await this.flush();
      if (behind()) throw new Error('ingest closed before the accepted events reached ClickHouse');
      return during(this.flushedThrough);
    })();
    this.hold = hold.then(
      () => undefined,
      () => undefined,
    );
    try {
      return await hold;
    } finally {
      this.held = false;
      this.hold = null;
      void this.maybeFlush();
    }
  }

  /** Stops accepting, writes everything pending into ClickHouse, closes the log. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.hold;
    await this.flushing;
    while (this.pending.length > 0 && !this.lastError) await this.flush();
    await this.wal.close();
  }

  private enqueue(record: PendingRecord): void {
    this.pending.push(record);
    this.pendingEvents += record.count;
    if (this.timer && this.due()) void this.maybeFlush();
  }

  /**
   * A batch is due when it is full, old enough, or big enough to be worth a block while the writer
   * is free: under load the writer chains inserts back to back; a trickle still waits for its age,
   * so ClickHouse is not handed a part per event.
   */
  private due(): boolean {
    const oldest = this.pending[0];
    if (!oldest || this.held) return false;
    return (
      this.pendingEvents >= this.options.flushMaxEvents / 10 ||
      Date.now() - oldest.acceptedAt >= this.options.flushMaxAgeMs
    );
  }

  private async maybeFlush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = (async () => {
      while (this.due() && !(this.closed && this.lastError)) await this.flush();
    })().finally(() => {
      this.flushing = null;
    });
    await this.flushing;
  }

  /** Writes whole log records (up to the size threshold) as one insert; retries with jittered backoff. */
  private async flush(): Promise<void> {
    const take: PendingRecord[] = [];
    let n = 0;
    for (const record of this.pending) {
      if (take.length > 0 && n + record.count > this.options.flushMaxEvents) break;
      take.push(record);
      n += record.count;
    }
    const last = take[take.length - 1];
    if (!last) return;
    // One record goes as it is: Buffer.concat copies even a single buffer.
    const body = take.length === 1 ? last.payload : Buffer.concat(take.map((r) => r.payload));
    // The token names the log span, so a retry of this very insert is a no-op in ClickHouse.
    const token = `${this.options.tokenPrefix ?? 'wal'}-${take[0]?.end ?? 0}-${last.end}`;
    for (let attempt = 0; ; attempt += 1) {
      const started = performance.now();
      try {
        await insertEvents(this.store, body, token).catch(async (error: unknown) => {
          if (!isDataError(error)) throw error;
          const lines = body
            .toString('utf8')
            .split('\n')
            .filter((l) => l.length > 0);
          await insertIsolating((part, t) => insertEvents(this.store, part, t), lines, token, this.deadLetter);
          this.options.log.error(
            { setAside: this.deadLetter.count },
            'ClickHouse refused rows; set aside in dead-letter.ndjson',
          );
        });
        this.stats.inserts += 1;
        this.stats.insertSeconds += (performance.now() - started) / 1000;
        break;
      } catch (error) {
        this.stats.insertErrors += 1;
        this.lastError = error instanceof Error ? error.message : String(error);
        this.options.log.warn({ err: error, attempt }, 'ClickHouse insert failed; retrying');
        if (this.closed && attempt >= 3) return;
        await new Promise((r) => setTimeout(r, Math.min(5_000, 100 * 2 ** attempt) + randomInt(100)));
      }
    }
    this.lastError = null;
    this.pending.splice(0, take.length);
    this.pendingEvents -= n;
    this.wal.checkpoint(last.end).catch((error: unknown) => {
      // Only the replay after a crash grows: it skips the rows ClickHouse already holds.
      this.options.log.warn({ err: error }, 'write-ahead log checkpoint not written');
    });
    this.flushedThrough = last.end;
    this.options.onFlushed(last.end);
  }
}
