import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WriteAheadLog } from '../../server/ingest/wal.js';

const dir = () => mkdtempSync(join(tmpdir(), 'wal-'));

describe('WriteAheadLog', () => {
  it('returns every record after the checkpoint on reopen, in order', async () => {
    const d = dir();
    const wal = new WriteAheadLog<{ n: number }>(d);
    await wal.open();
    const ends = await Promise.all([1, 2, 3].map((n) => wal.append({ n })));
    wal.checkpoint(ends[0] ?? 0);
    await wal.close();
    const reopened = new WriteAheadLog<{ n: number }>(d);
    const records = await reopened.open();
    expect(records.map((r) => r.value.n)).toEqual([2, 3]);
    expect(reopened.pendingBytes).toBe((ends[2] ?? 0) - (ends[0] ?? 0));
    await reopened.close();
  });

  it('drops a torn last line and keeps appending after it', async () => {
    const d = dir();
    const wal = new WriteAheadLog<{ n: number }>(d);
    await wal.open();
    await wal.append({ n: 1 });
    await wal.close();
    const [segment] = readdirSync(d).filter((f) => f.endsWith('.wal'));
    appendFileSync(join(d, segment ?? ''), '{"n":2');
    const again = new WriteAheadLog<{ n: number }>(d);
    expect((await again.open()).map((r) => r.value.n)).toEqual([1]);
    await again.append({ n: 3 });
    await again.close();
    const third = new WriteAheadLog<{ n: number }>(d);
    expect((await third.open()).map((r) => r.value.n)).toEqual([1, 3]);
    await third.close();
  });

  it('rotates segments and deletes the ones wholly checkpointed', async () => {
    const d = dir();
    const wal = new WriteAheadLog<{ s: string }>(d, 100);
    await wal.open();
    let end = 0;
    for (let i = 0; i < 10; i += 1) end = await wal.append({ s: 'x'.repeat(40) });
    expect(readdirSync(d).filter((f) => f.endsWith('.wal')).length).toBeGreaterThan(2);
    wal.checkpoint(end);
    expect(readdirSync(d).filter((f) => f.endsWith('.wal')).length).toBe(1);
    expect(wal.pendingBytes).toBe(0);
    await wal.close();
  });
});
