/**
 * Rows ClickHouse refuses as data (not for a lost connection): retrying the same block can never
 * succeed, and it must not hold up every event after it. The block is split in halves until the
 * refused rows stand alone; those are set aside in an append-only file (kept, never dropped) and the
 * rest is written. Validation should leave nothing to set aside; this is the defence behind it.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';

/** ClickHouse's own refusals of the data; anything else (resets, timeouts, refused connections) is retried. */
export function isDataError(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return /CANNOT_PARSE|Cannot parse|TYPE_MISMATCH|INCORRECT_DATA|CANNOT_READ_ALL_DATA|ILLEGAL_TYPE/i.test(text);
}

export class DeadLetter {
  count = 0;

  constructor(private readonly dir: string) {}

  /** Appends the row, with when and why, and fsyncs before the block counts as done. */
  async put(line: string, error: unknown): Promise<void> {
    const file = await open(join(this.dir, 'dead-letter.ndjson'), 'a');
    try {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      await file.write(`${JSON.stringify({ at: new Date().toISOString(), reason, row: line })}\n`);
      await file.datasync();
    } finally {
      await file.close();
    }
    this.count += 1;
  }
}

/**
 * Inserts `lines` as one block; on a data error, each half on its own (tokens derived from the
 * block's, so a retry of the whole flush repeats the same split and ClickHouse dedups what landed).
 */
export async function insertIsolating(
  insert: (body: Buffer, token: string) => Promise<void>,
  lines: readonly string[],
  token: string,
  deadLetter: DeadLetter,
): Promise<void> {
  try {
    await insert(Buffer.from(`${lines.join('\n')}\n`), token);
  } catch (error) {
    if (!isDataError(error)) throw error;
    const [only] = lines;
    if (lines.length === 1 && only !== undefined) {
      await deadLetter.put(only, error);
      return;
    }
    const half = Math.ceil(lines.length / 2);
    await insertIsolating(insert, lines.slice(0, half), `${token}a`, deadLetter);
    await insertIsolating(insert, lines.slice(half), `${token}b`, deadLetter);
  }
}
