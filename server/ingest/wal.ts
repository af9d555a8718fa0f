/**
 * Write-ahead log: an accepted batch is appended and fsynced before it is acknowledged, so an ack
 * survives kill -9. Positions are global byte offsets; each segment file is named by the offset it
 * starts at, so "bytes not yet in ClickHouse" is simply head − checkpoint.
 *
 * Written here rather than taken from npm: the few maintained WAL packages are either LevelDB-bound
 * or lack group commit, and the whole contract fits in one file.
 */
import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export interface WalRecord<T> {
  /** End position of the record: checkpoint at it once the record is in ClickHouse. */
  end: number;
  value: T;
}

interface Waiter {
  data: Buffer;
  resolve: (end: number) => void;
  reject: (error: unknown) => void;
}

const SEGMENT_NAME = /^(\d{20})\.wal$/;
const segmentName = (start: number) => `${String(start).padStart(20, '0')}.wal`;

export class WriteAheadLog<T> {
  private file: FileHandle | null = null;
  private segmentStart = 0;
  private head = 0;
  private checkpointed = 0;
  private queue: Waiter[] = [];
  private writing = false;

  constructor(
    private readonly dir: string,
    private readonly segmentBytes = 64 * 1024 * 1024,
  ) {}

  /** Opens the log and returns every record after the checkpoint, in order; drops a torn tail. */
  async open(): Promise<WalRecord<T>[]> {
    mkdirSync(this.dir, { recursive: true });
    this.checkpointed = this.readCheckpoint();
    const starts = this.segments();
    const records: WalRecord<T>[] = [];
    let position = starts[0] ?? this.checkpointed;
    for (const start of starts) {
      const buf = readFileSync(join(this.dir, segmentName(start)));
      let offset = 0;
      for (;;) {
        const nl = buf.indexOf(10, offset);
        if (nl < 0) break;
        const end = start + nl + 1;
        const line = buf.subarray(offset, nl).toString('utf8');
        let value: T;
        try {
          value = JSON.parse(line) as T;
        } catch {
          break;
        }
        if (end > this.checkpointed) records.push({ end, value });
        offset = nl + 1;
      }
      position = start + offset;
      if (offset < buf.length) {
        // A torn write from a crash: it was never acknowledged, so it is cut off.
        const fd = openSync(join(this.dir, segmentName(start)), 'r+');
        try {
          ftruncateSync(fd, offset);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        break;
      }
    }
    this.head = Math.max(position, this.checkpointed);
    this.segmentStart = this.head;
    this.file = await open(join(this.dir, segmentName(this.head)), 'a');
    return records;
  }

  /** Appends one record; resolves with its end position once it is on disk. Concurrent appends share one fsync. */
  append(value: T): Promise<number> {
    const data = Buffer.from(`${JSON.stringify(value)}\n`);
    return new Promise((resolve, reject) => {
      this.queue.push({ data, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  /** Everything up to `position` is in ClickHouse: remember it and drop segments wholly before it. */
  checkpoint(position: number): void {
    if (position <= this.checkpointed) return;
    this.checkpointed = position;
    const tmp = join(this.dir, 'checkpoint.tmp');
    writeFileSync(tmp, String(position));
    const fd = openSync(tmp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, join(this.dir, 'checkpoint'));
    for (const start of this.segments()) {
      if (start < this.segmentStart && this.segmentEnd(start) <= position) rmSync(join(this.dir, segmentName(start)));
    }
  }

  /** Bytes appended but not yet checkpointed. */
  get pendingBytes(): number {
    return this.head - this.checkpointed;
  }

  async close(): Promise<void> {
    while (this.writing || this.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
    await this.file?.close();
    this.file = null;
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const data = Buffer.concat(batch.map((w) => w.data));
      const file = this.file;
      try {
        if (!file) throw new Error('write-ahead log is not open');
        const { bytesWritten } = await file.write(data, 0, data.length, null);
        if (bytesWritten !== data.length) throw new Error('short write to the write-ahead log');
        await file.datasync();
      } catch (error) {
        // Nothing of a failed group is acknowledged; cut what may have reached the file.
        await file?.truncate(this.head - this.segmentStart).catch(() => undefined);
        for (const w of batch) w.reject(error);
        continue;
      }
      let end = this.head;
      for (const w of batch) {
        end += w.data.length;
        w.resolve(end);
      }
      this.head = end;
      if (this.head - this.segmentStart >= this.segmentBytes) await this.rotate();
    }
    this.writing = false;
  }

  private async rotate(): Promise<void> {
    await this.file?.close();
    this.segmentStart = this.head;
    this.file = await open(join(this.dir, segmentName(this.head)), 'a');
  }

  private segments(): number[] {
    return readdirSync(this.dir)
      .map((f) => SEGMENT_NAME.exec(f)?.[1])
      .filter((s): s is string => s !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  private segmentEnd(start: number): number {
    return start + statSync(join(this.dir, segmentName(start))).size;
  }

  private readCheckpoint(): number {
    try {
      return Number(readFileSync(join(this.dir, 'checkpoint'), 'utf8')) || 0;
    } catch {
      return 0;
    }
  }
}
