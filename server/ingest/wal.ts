/**
 * Write-ahead log: an accepted batch is appended and fsynced before it is acknowledged, so an ack
 * survives kill -9. Records are framed as [length u32][crc32 u32][payload]; a torn or corrupt tail
 * (a crash mid-write, never acknowledged) is cut off on open. Positions are global byte offsets and
 * each segment file is named by the offset it starts at, so "bytes not yet in ClickHouse" is
 * simply head − checkpoint. Payloads are opaque bytes: ingest stores the very NDJSON it will send to
 * ClickHouse, so nothing is serialized twice.
 *
 * Written here rather than taken from npm: the maintained WAL packages are LevelDB-bound or lack
 * group commit, and the whole contract fits in one file.
 */
import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

export interface WalRecord {
  /** End position of the record: checkpoint at it once the record is in ClickHouse. */
  end: number;
  payload: Buffer;
}

interface Waiter {
  /** The record's header and its payload, written side by side by one writev. */
  frame: [Buffer, Buffer];
  resolve: (end: number) => void;
  reject: (error: unknown) => void;
}

const HEADER = 8;
const SEGMENT_NAME = /^(\d{20})\.wal$/;
const segmentName = (start: number) => `${String(start).padStart(20, '0')}.wal`;

/**
 * A record's header beside its payload, not copied into one buffer with it: the payload is the
 * whole accepted batch (2 MB for 10,000 events), and the copies here and of the group in `drain`
 * showed in the ingest bench's profile. The file gets the same bytes through writev.
 */
function frame(payload: Buffer): [Buffer, Buffer] {
  const header = Buffer.allocUnsafe(HEADER);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(crc32(payload), 4);
  return [header, payload];
}

const frameLength = (f: readonly [Buffer, Buffer]): number => f[0].length + f[1].length;

export class WriteAheadLog {
  private file: FileHandle | null = null;
  private segmentStart = 0;
  private head = 0;
  private checkpointedAt = 0;
  /** The checkpoint on disk; segments are dropped only behind it. */
  private persisted = 0;
  private persisting: Promise<void> | null = null;
  private queue: Waiter[] = [];
  private writing: Promise<void> | null = null;

  constructor(
    private readonly dir: string,
    private readonly segmentBytes = 64 * 1024 * 1024,
  ) {}

  /** Opens the log and returns every record after the checkpoint, in order. */
  async open(): Promise<WalRecord[]> {
    mkdirSync(this.dir, { recursive: true });
    this.checkpointedAt = this.readCheckpoint();
    this.persisted = this.checkpointedAt;
    const records: WalRecord[] = [];
    let position = this.checkpointedAt;
    for (const start of this.segments()) {
      const buf = readFileSync(join(this.dir, segmentName(start)));
      let offset = 0;
      while (offset + HEADER <= buf.length) {
        const length = buf.readUInt32LE(offset);
        const payload = buf.subarray(offset + HEADER, offset + HEADER + length);
        if (payload.length !== length || crc32(payload) !== buf.readUInt32LE(offset + 4)) break;
        offset += HEADER + length;
        if (start + offset > this.checkpointedAt) records.push({ end: start + offset, payload: Buffer.from(payload) });
      }
      position = Math.max(position, start + offset);
      if (offset < buf.length) {
        this.truncate(start, offset);
        break;
      }
    }
    this.head = position;
    this.segmentStart = this.head;
    this.file = await open(join(this.dir, segmentName(this.head)), 'a');
    return records;
  }

  /** Appends one record; resolves with its end position once it is on disk. Concurrent appends share one fsync. */
  append(payload: Buffer): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ frame: frame(payload), resolve, reject });
      this.writing ??= this.drain();
    });
  }

  /**
   * Everything up to `position` is in ClickHouse: counted at once (the byte limit frees up), then
   * written to disk and the segments wholly before it dropped — off the event loop, one write at a
   * time. An fsync waits on the disk, and under ClickHouse's merges a synchronous one held the
   * loop for seconds. Resolves once on disk; a checkpoint that never reaches the disk only means a
   * longer replay, whose rows ClickHouse already holds are skipped.
   */
  checkpoint(position: number): Promise<void> {
    if (position > this.checkpointedAt) this.checkpointedAt = position;
    this.persisting ??= this.persist();
    return this.persisting;
  }

  private async persist(): Promise<void> {
    try {
      while (this.persisted < this.checkpointedAt) {
        const position = this.checkpointedAt;
        const tmp = join(this.dir, 'checkpoint.tmp');
        const file = await open(tmp, 'w');
        try {
          await file.writeFile(String(position));
          await file.sync();
        } finally {
          await file.close();
        }
        await rename(tmp, join(this.dir, 'checkpoint'));
        this.persisted = position;
        await this.prune();
      }
    } finally {
      this.persisting = null;
    }
  }

  /** The position everything before which is in ClickHouse. */
  get checkpointed(): number {
    return this.checkpointedAt;
  }

  /** Bytes appended but not yet checkpointed. */
  get pendingBytes(): number {
    return this.head - this.checkpointedAt;
  }

  async close(): Promise<void> {
    await this.writing;
    await this.persisting?.catch(() => undefined);
    await this.file?.close();
    this.file = null;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      // Everything written is in ClickHouse: start a fresh segment so the old one can go. Without
      // this a log that keeps up never rotates and its one file grows until the disk is full.
      if (this.checkpointedAt === this.head && this.head > this.segmentStart) await this.rotate();
      const batch = this.queue;
      this.queue = [];
      const data = batch.flatMap((w) => w.frame);
      const length = batch.reduce((n, w) => n + frameLength(w.frame), 0);
      const file = this.file;
      try {
        if (!file) throw new Error('write-ahead log is not open');
        const { bytesWritten } = await file.writev(data);
        if (bytesWritten !== length) throw new Error('short write to the write-ahead log');
        await file.datasync();
      } catch (error) {
        // Nothing of a failed group is acknowledged; cut what may have reached the file.
        await file?.truncate(this.head - this.segmentStart).catch(() => undefined);
        for (const w of batch) w.reject(error);
        continue;
      }
      for (const w of batch) {
        this.head += frameLength(w.frame);
        w.resolve(this.head);
      }
      if (this.head - this.segmentStart >= this.segmentBytes) await this.rotate();
    }
    this.writing = null;
  }

  private async rotate(): Promise<void> {
    await this.file?.close();
    this.segmentStart = this.head;
    this.file = await open(join(this.dir, segmentName(this.head)), 'a');
    await this.prune();
  }

  /** Deletes the segments wholly before the checkpoint on disk (never the one being written). */
  private async prune(): Promise<void> {
    const starts = (await readdir(this.dir))
      .map((f) => SEGMENT_NAME.exec(f)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number);
    for (const start of starts) {
      if (start >= this.segmentStart) continue;
      // persist() and rotate() both prune, and may overlap: a segment the other one already
      // removed is pruned, not an error (an unhandled ENOENT here once stopped a server under load).
      const size = await stat(join(this.dir, segmentName(start))).then(
        (s) => s.size,
        (error: unknown) => {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
          throw error;
        },
      );
      if (size !== null && start + size <= this.persisted) {
        await rm(join(this.dir, segmentName(start)), { force: true });
      }
    }
  }

  private truncate(start: number, length: number): void {
    const fd = openSync(join(this.dir, segmentName(start)), 'r+');
    try {
      ftruncateSync(fd, length);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private segments(): number[] {
    return readdirSync(this.dir)
      .map((f) => SEGMENT_NAME.exec(f)?.[1])
      .filter((s): s is string => s !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  private readCheckpoint(): number {
    try {
      return Number(readFileSync(join(this.dir, 'checkpoint'), 'utf8')) || 0;
    } catch {
      return 0;
    }
  }
}
