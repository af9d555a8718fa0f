import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WriteAheadLog } from '../../../server/ingest/wal.js';

const dir = () => mkdtempSync(join(tmpdir(), 'wal-'));
const text = (records: { payload: Buffer }[]) => records.map((r) => r.payload.toString());
const segments = (d: string) => readdirSync(d).filter((f) => f.endsWith('.wal'));

describe('WriteAheadLog', () => {
  it('returns every record after the checkpoint on reopen, in order', async () => {
    const d = dir();
    const wal = new WriteAheadLog(d);
    await wal.open();
    const ends = await Promise.all(['a', 'b', 'c'].map((s) => wal.append(Buffer.from(s))));
    await wal.checkpoint(ends[0] ?? 0);
    await wal.close();
    const reopened = new WriteAheadLog(d);
    expect(text(await reopened.open())).toEqual(['b', 'c']);
    expect(reopened.pendingBytes).toBe((ends[2] ?? 0) - (ends[0] ?? 0));
    await reopened.close();
  });

  it('cuts a torn tail and keeps appending after it', async () => {
    const d = dir();
    const wal = new WriteAheadLog(d);
    await wal.open();
    await wal.append(Buffer.from('first'));
    await wal.close();
    // A header promising 100 bytes followed by 3: a crash mid-write.
    const torn = Buffer.alloc(11);
    torn.writeUInt32LE(100, 0);
    appendFileSync(join(d, segments(d)[0] ?? ''), torn);
    const again = new WriteAheadLog(d);
    expect(text(await again.open())).toEqual(['first']);
    await again.append(Buffer.from('third'));
    await again.close();
    const later = new WriteAheadLog(d);
    expect(text(await later.open())).toEqual(['first', 'third']);
    await later.close();
  });

  it('stops at a record whose checksum does not match', async () => {
    const d = dir();
    const wal = new WriteAheadLog(d);
    await wal.open();
    await wal.append(Buffer.from('good'));
    await wal.append(Buffer.from('flip'));
    await wal.close();
    const file = join(d, segments(d)[0] ?? '');
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] = 0x21; // corrupt the last payload byte
    writeFileSync(file, bytes);
    const reopened = new WriteAheadLog(d);
    expect(text(await reopened.open())).toEqual(['good']);
    await reopened.close();
  });

  it('rotates segments and deletes the ones wholly checkpointed', async () => {
    const d = dir();
    const wal = new WriteAheadLog(d, 100);
    await wal.open();
    let end = 0;
    for (let i = 0; i < 10; i += 1) end = await wal.append(Buffer.from('x'.repeat(40)));
    expect(segments(d).length).toBeGreaterThan(2);
    await wal.checkpoint(end);
    expect(segments(d)).toHaveLength(1);
    expect(wal.pendingBytes).toBe(0);
    await wal.close();
  });
});

describe('WriteAheadLog on a log that keeps up', () => {
  it('starts a fresh segment once everything is checkpointed, so the old one is deleted', async () => {
    const d = dir();
    const wal = new WriteAheadLog(d);
    await wal.open();
    for (let i = 0; i < 5; i += 1) await wal.checkpoint(await wal.append(Buffer.from('y'.repeat(1000))));
    expect(segments(d)).toHaveLength(1);
    const [only] = segments(d);
    expect(readFileSync(join(d, only ?? '')).length).toBeLessThan(2 * 1008);
    await wal.close();
  });
});
