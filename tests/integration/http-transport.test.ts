/**
 * The HTTP transport against a real clickhouse-server started here (Debian's 18.16 in CI, or any
 * binary named by CLICKHOUSE_SERVER_BIN): NDJSON in, typed rows out, bound parameters with hostile
 * values, then kill -9 of the server: calls fail fast, and after a restart the same transport
 * object works again with every row written before the outage still there.
 *
 * Not covered: insert deduplication by token. 18.16 has neither `insert_deduplication_token` nor
 * deduplication for non-replicated tables (only ReplicatedMergeTree, which needs ZooKeeper).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpTransport } from '../../server/store/http.js';
import { ping } from '../../server/store/index.js';
import { startClickHouse, type ClickHouseServer } from '../helpers/clickhouse-server.js';

interface Row {
  d: string;
  ts: string;
  s: string;
  n: number;
  tags: string[];
}

const HOSTILE = [
  "it's",
  'back\\slash',
  "\\'",
  "''",
  "'; DROP TABLE visits; --",
  'line\nbreak\r\ttab',
  'nul\0byte',
  '{s:String}',
  '中文 🙂',
  '\\',
];

const rows = (from: number, count: number): Row[] =>
  Array.from({ length: count }, (_, k) => ({
    d: '2024-05-01',
    ts: '2024-05-01 08:30:00',
    s: HOSTILE[(from + k) % HOSTILE.length] ?? '',
    n: from + k,
    tags: ['a', HOSTILE[k % HOSTILE.length] ?? ''],
  }));
const ndjson = (rs: Row[]) => Buffer.from(rs.map((r) => `${JSON.stringify(r)}\n`).join(''));

let server: ClickHouseServer | undefined;
let t: HttpTransport | undefined;
const store = () => {
  if (!t) throw new Error('transport not connected');
  return t;
};

beforeAll(async () => {
  server = await startClickHouse();
  t = await HttpTransport.connect(`${server.url}/wmsj_test`, { requestTimeoutMs: 10_000 });
});
afterAll(async () => {
  await t?.close();
  await server?.stop();
});

describe('HttpTransport on a real clickhouse-server', () => {
  it('creates the database named in the URL and detects the server', async () => {
    const [db] = await store().query<{ db: string }>('SELECT currentDatabase() AS db');
    expect(db?.db).toBe('wmsj_test');
    expect(store().kind).toBe('http');
    // 18.16 has no server-side binding: the transport must have noticed and substitute instead.
    if (store().serverVersion.startsWith('18.')) expect(store().bindsParams).toBe(false);
  });

  it('inserts NDJSON and reads typed rows back, 64-bit integers as numbers', async () => {
    await store().command(
      `CREATE TABLE IF NOT EXISTS visits (d Date, ts DateTime, s String, n UInt64, tags Array(String))
       ENGINE = MergeTree PARTITION BY toYYYYMM(d) ORDER BY n`,
    );
    const big = { d: '2024-05-01', ts: '2024-05-01 08:30:00', s: 'big', n: Number.MAX_SAFE_INTEGER, tags: [] };
    const written = await store().insertJsonEachRow('visits', ndjson([...rows(0, 100), big]), { dedupToken: 'b1' });
    expect(written).toBe(101);
    const back = await store().query<Row>('SELECT d, ts, s, n, tags FROM visits ORDER BY n');
    expect(back).toEqual([...rows(0, 100), big]);
    expect(typeof back[100]?.n).toBe('number');
  });

  it('binds parameters; hostile strings round-trip and select exactly their rows', async () => {
    for (const [k, s] of HOSTILE.entries()) {
      const [echo] = await store().query<{ v: string; a: string[] }>('SELECT {s:String} AS v, {a:Array(String)} AS a', {
        s,
        a: [s, 'x'],
      });
      expect(echo).toEqual({ v: s, a: [s, 'x'] });
      const found = await store().query<{ n: number }>(
        'SELECT n FROM visits WHERE s = {s:String} AND n < {limit:UInt64} ORDER BY n',
        { s, limit: 100 },
      );
      expect(found.map((r) => r.n)).toEqual(Array.from({ length: 10 }, (_, i) => i * HOSTILE.length + k));
    }
    const [typed] = await store().query<{ c: number; neg: number; ts: string }>(
      'SELECT count() AS c, 1-{x:Int64} AS neg, toString({ts:DateTime}) AS ts FROM visits WHERE ts = {ts:DateTime} AND d = {d:Date} AND has({ns:Array(UInt64)}, n)',
      { x: -1, ts: '2024-05-01 08:30:00', d: '2024-05-01', ns: [1, 2, 3, 999] },
    );
    expect(typed).toEqual({ c: 3, neg: 2, ts: '2024-05-01 08:30:00' });
    await expect(store().query('SELECT {n:UInt64} AS n', { n: 'not a number' })).rejects.toThrow();
  });

  it('reports reachability', async () => {
    expect((await ping(store())).reachable).toBe(true);
  });

  it('reuses no socket the server has closed after its keep-alive timeout', async () => {
    await store().query('SELECT 1 AS ok');
    await sleep(3_500); // the test server closes idle sockets after 3 s
    expect(await store().query<{ ok: number }>('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  it('fails fast while the server is down and recovers on the same transport after a restart', async () => {
    const running = server;
    if (!running) throw new Error('server not started');
    // Warm the pool so that live keep-alive sockets exist at the moment of the kill.
    await Promise.all(Array.from({ length: 4 }, () => store().query('SELECT 1 AS ok')));
    await running.kill();

    const started = performance.now();
    await expect(store().query('SELECT count() AS c FROM visits')).rejects.toThrow(
      /ECONNREFUSED|ECONNRESET|socket hang up/,
    );
    await expect(store().insertJsonEachRow('visits', ndjson(rows(1_000, 5)))).rejects.toThrow();
    expect((await ping(store())).reachable).toBe(false);
    expect(performance.now() - started).toBeLessThan(5_000);

    await running.start();
    // The very first call after the restart must succeed: no stale socket from before the kill.
    const [after] = await store().query<{ c: number }>('SELECT count() AS c FROM visits');
    expect(after?.c).toBe(101);
    expect(await store().insertJsonEachRow('visits', ndjson(rows(1_000, 5)))).toBe(5);
    const [total] = await store().query<{ c: number; sum: number }>(
      'SELECT count() AS c, sum(n) AS sum FROM visits WHERE n < {limit:UInt64}',
      { limit: 10_000 },
    );
    expect(total).toEqual({ c: 105, sum: (99 * 100) / 2 + 1_000 + 1_001 + 1_002 + 1_003 + 1_004 });
    expect((await ping(store())).reachable).toBe(true);
  });
});
