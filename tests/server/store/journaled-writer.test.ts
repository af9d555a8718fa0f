/**
 * The journaled writer's give-up path (store/journaled-writer.ts) on a fake clock and a fake store
 * that refuses every insert: the block is tried `attempts` times with a backoff between tries, then
 * goes back in the journal and the queue at once — a reader waiting on the flush is not held for
 * one more backoff after the last try — and the next flush tries it again.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { JournaledWriter } from '../../../server/store/journaled-writer.js';

interface Row {
  id: string;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wmsj-journaled-writer-'));
  // Only the clock is faked: the writer's sleeps are timers; the journal is a real file.
  vi.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

/** A store that is away: every insert refused, each try's rows and the fake time of the try kept. */
function refusingStore() {
  const tries: { at: number; rows: Row[] }[] = [];
  const insert = (rows: Row[]) => {
    tries.push({ at: Date.now(), rows: [...rows] });
    return Promise.reject(new Error('connection refused'));
  };
  return { tries, insert };
}

const writerOn = (insert: (rows: Row[]) => Promise<void>) =>
  new JournaledWriter<Row>({
    dir,
    name: 'acts',
    insert,
    token: (rows) => `acts-${rows[0]?.id ?? ''}-${rows.length}`,
    log: pino({ level: 'silent' }),
    intervalMs: 3_600_000,
    attempts: 3,
  });

it('re-queues a block that failed every try at once, without a backoff after the last try', async () => {
  const store = refusingStore();
  const writer = writerOn(store.insert);
  writer.append({ id: 'a' });
  writer.append({ id: 'b' });

  let settledAt: number | null = null;
  const flushed = writer.flush().then(() => {
    settledAt = Date.now();
  });
  // Runs every timer the flush sets, however long: a sleep after the last try would move the clock.
  await vi.runAllTimersAsync();
  await flushed;

  // Three tries, 100 ms and 200 ms apart, and the flush answered at the third: no 400 ms more.
  expect(store.tries.map((t) => t.at)).toEqual([0, 100, 300]);
  expect(settledAt).toBe(300);
  // Back in the journal, nothing left aside, and in the queue: the next flush tries the same rows.
  expect(readFileSync(join(dir, 'acts.jsonl'), 'utf8')).toBe('{"id":"a"}\n{"id":"b"}\n');
  expect(existsSync(join(dir, 'acts.writing.jsonl'))).toBe(false);
  const again = writer.flush();
  await vi.runAllTimersAsync();
  await again;
  expect(store.tries.slice(3).map((t) => t.rows)).toEqual([
    [{ id: 'a' }, { id: 'b' }],
    [{ id: 'a' }, { id: 'b' }],
    [{ id: 'a' }, { id: 'b' }],
  ]);
});

it('writes the block once the store takes it, and removes the journal', async () => {
  let refuse = 2;
  const written: Row[][] = [];
  const writer = writerOn((rows) => {
    if (refuse > 0) {
      refuse -= 1;
      return Promise.reject(new Error('connection refused'));
    }
    written.push([...rows]);
    return Promise.resolve();
  });
  writer.append({ id: 'a' });
  const flushed = writer.flush();
  await vi.runAllTimersAsync();
  await flushed;
  expect(written).toEqual([[{ id: 'a' }]]);
  expect(existsSync(join(dir, 'acts.jsonl'))).toBe(false);
  expect(existsSync(join(dir, 'acts.writing.jsonl'))).toBe(false);
});
