/**
 * Ingest throughput: events/s through `POST /api/v1/events` (validation, write-ahead log with fsync,
 * batching) until they are in embedded ClickHouse, against a raw `INSERT … FORMAT JSONEachRow` of the
 * same rows (the same compact JSON form, 50,000-row blocks) straight into chdb in this process.
 * The API runs once per number of devices posting at once (BENCH_INGEST_SENDERS, default 1, 4 and
 * 16), each on a fresh server; `BENCH_PROFILE=<dir>` profiles those servers.
 */
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Health } from '../shared/api.js';
import type { Network } from '../shared/network.js';
import { EmbeddedTransport } from '../server/store/embedded.js';
import { insertEvents, toNdjson, toRow } from '../server/store/events-repository.js';
import { migrate } from '../server/store/migrate.js';
import { startServer } from '../tests/helpers/server.js';
import { makeEvents, profileArgs, round, type BenchRow } from './lib.js';

const TOTAL = Number(process.env['BENCH_INGEST_EVENTS'] ?? 400_000);
const BATCH = 10_000;
/** Devices posting at once, each run on a fresh server: how the cost grows with concurrency (issue 19.5). */
const SENDERS = (process.env['BENCH_INGEST_SENDERS'] ?? '1,4,16').split(',').map(Number);
/** The raw baseline gets the batch size ClickHouse likes best. */
const RAW_BATCH = 50_000;

async function rawInsert(events: ReturnType<typeof makeEvents>): Promise<number> {
  const store = new EmbeddedTransport(mkdtempSync(join(tmpdir(), 'bench-raw-')));
  await migrate(store);
  const chunks: Buffer[] = [];
  for (let i = 0; i < events.length; i += RAW_BATCH)
    chunks.push(toNdjson(events.slice(i, i + RAW_BATCH).map((e) => toRow(e, 'I01'))));
  const started = performance.now();
  for (const [i, chunk] of chunks.entries()) await insertEvents(store, chunk, `raw-${i}`);
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  return events.length / seconds;
}

async function throughApi(events: ReturnType<typeof makeEvents>, senders: number): Promise<number> {
  const server = await startServer({ env: { BACKFILL_SCALE: '0', LOG_LEVEL: 'warn' }, ...profileArgs() });
  try {
    const bodies: string[] = [];
    for (let i = 0; i < events.length; i += BATCH) bodies.push(JSON.stringify(events.slice(i, i + BATCH)));
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: senders }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++] ?? '[]';
          const response = await fetch(`${server.url}/api/v1/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
            body,
          });
          if (!response.ok) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
        }
      }),
    );
    // Sustained means in ClickHouse, not just in the log.
    for (;;) {
      const health = (await (
        await fetch(`${server.url}/api/health`, { headers: { authorization: `Bearer ${server.token}` } })
      ).json()) as Health;
      if (health.ingest.pending === 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    return events.length / ((performance.now() - started) / 1000);
  } finally {
    await server.stop();
  }
}

export async function benchIngest(): Promise<BenchRow[]> {
  const network = await fetchNodeIds();
  const events = makeEvents(TOTAL, network);
  const load = loadavg()[0] ?? Number.NaN;
  const raw = await rawInsert(events);
  const rows: BenchRow[] = [
    {
      bench: 'ingest',
      metric: `raw chdb INSERT JSONCompactEachRow (${TOTAL} rows)`,
      value: round(raw, 0),
      unit: 'rows/s',
    },
  ];
  for (const senders of SENDERS) {
    const api = await throughApi(events, senders);
    rows.push({
      bench: 'ingest',
      metric: `POST /api/v1/events → WAL → ClickHouse (${TOTAL} events in ${BATCH}-event batches, ${senders} at once)`,
      value: round(api, 0),
      unit: 'events/s',
      baseline: round(raw, 0),
      goal: '≥ 100,000/s and ≥ ½ of raw',
    });
  }
  rows.push({
    bench: 'ingest',
    metric: `load average at the start → the end (${cpus().length} cores)`,
    value: round(loadavg()[0] ?? Number.NaN, 2),
    unit: '',
    baseline: round(load, 2),
  });
  return rows;
}

async function fetchNodeIds(): Promise<string[]> {
  const { generateNetwork } = await import('../seed/network.js');
  const network: Network = generateNetwork('shuangliu');
  return network.nodes.map((n) => n.id);
}
