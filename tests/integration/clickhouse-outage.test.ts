/**
 * ClickHouse unavailable under load, with real processes: the server (its own process) talks to a
 * ClickHouse HTTP endpoint (chdb in another process, tests/helpers/chdb-http.ts) through a fault
 * proxy. While ingest load flows, ClickHouse is cut off — every connection reset for 30 s, then
 * black-holed, then slowed down — and:
 * - ingest keeps acknowledging (the write-ahead log holds what ClickHouse cannot take yet);
 * - `/api/health` says degraded, with the cause;
 * - once ClickHouse is back, every acknowledged id is stored exactly once and nothing else is.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpTransport } from '../../server/store/http.js';
import { startChdbHttp, type ChdbHttp } from '../helpers/chdb-http.js';
import { checkin } from '../helpers/events.js';
import { startFaultProxy, type FaultMode, type FaultProxy } from '../helpers/fault-proxy.js';
import { health, startLoad, type Load } from '../helpers/load.js';
import { eventually, startServer, type RunningServer } from '../helpers/server.js';

let chdb: ChdbHttp | undefined;
let proxy: FaultProxy;
let server: RunningServer | undefined;
/** Straight to ClickHouse, past the proxy: what is really stored. */
let direct: HttpTransport | undefined;

beforeAll(async () => {
  const ch = await startChdbHttp();
  chdb = ch;
  proxy = await startFaultProxy({ port: ch.port });
  // No history: a backfill over HTTP may not fit Fastify's 10 s plugin timeout on a loaded machine.
  const env = { CLICKHOUSE_URL: `http://default:@127.0.0.1:${proxy.port}/wmsj`, BACKFILL_SCALE: '0' };
  server = await startServer({ env });
  direct = await ch.connect('wmsj');
});
/** The running server (beforeAll started it). */
const app = (): RunningServer => {
  if (!server) throw new Error('server not started');
  return server;
};
const store = (): HttpTransport => {
  if (!direct) throw new Error('ClickHouse not connected');
  return direct;
};

afterAll(async () => {
  await server?.stop();
  await direct?.close();
  await proxy.close();
  await chdb?.stop();
});

/** Load marked with its own activity id, so its rows can be found again. */
function loadMarked(mark: string): Load {
  return startLoad(app(), { make: () => checkin({ activityId: mark, volunteerId: 'V000002' }) });
}

/** Waits until ClickHouse holds everything accepted and health is back to ok. */
async function settled(): Promise<void> {
  await eventually(async () => {
    const h = await health(app());
    return h.status === 'ok' && h.ingest.pending === 0 ? true : undefined;
  }, 250);
}

/** Every acknowledged id stored exactly once; nothing stored that was refused or never sent. */
async function expectStoredOnce(mark: string, load: Load): Promise<void> {
  const rows = await store().query<{ event_id: string; n: number }>(
    `SELECT toString(id) AS event_id, count() AS n FROM events
     WHERE type = 'checkin' AND subject_id = {mark:String} GROUP BY id`,
    { mark },
  );
  const stored = new Map(rows.map((r) => [r.event_id, r.n]));
  expect(load.acked.size).toBeGreaterThan(0);
  expect([...load.acked].filter((id) => stored.get(id) !== 1)).toEqual([]);
  expect(rows.filter((r) => r.n !== 1)).toEqual([]);
  // "None extra": every stored row was acknowledged, or at least sent by a request that died.
  expect([...stored.keys()].filter((id) => !load.acked.has(id) && !load.unknown.has(id))).toEqual([]);
  // The per-minute view (what the wall's KPIs read) counted each stored event once: a re-sent
  // block after a reset did not reach it twice.
  const since = { since: Math.floor((Date.now() - 3_600_000) / 1000) };
  const [minute] = await store().query<{ n: number }>(
    `SELECT sum(events) AS n FROM events_minute WHERE type = 'checkin' AND minute >= toDateTime({since:UInt32})`,
    since,
  );
  const [raw] = await store().query<{ n: number }>(
    `SELECT count() AS n FROM events FINAL WHERE type = 'checkin' AND ts >= toDateTime({since:UInt32})`,
    since,
  );
  expect(minute?.n).toBe(raw?.n);
}

/**
 * Load flows; ClickHouse is cut with `fault` for `cutMs`; ingest must keep acknowledging and
 * nothing may be refused. Returns the load, stopped after ClickHouse is back.
 */
async function throughFault(fault: FaultMode, cutMs: number, duringCut: () => Promise<void>): Promise<Load> {
  const mark = `A-${fault.kind}-${randomUUID().slice(0, 8)}`;
  const load = loadMarked(mark);
  try {
    await eventually(() => (load.acked.size >= 100 ? true : undefined));
    proxy.set(fault);
    const cutAt = Date.now();
    const ackedAtCut = load.acked.size;
    await duringCut();
    await sleep(Math.max(0, cutAt + cutMs - Date.now()));
    // Acknowledged all through the cut, from the log alone.
    expect(load.acked.size).toBeGreaterThan(ackedAtCut);
    expect(Object.fromEntries(load.refusals)).toEqual({});
    proxy.set({ kind: 'pass' });
    const ackedAtRestore = load.acked.size;
    await eventually(() => (load.acked.size > ackedAtRestore + 100 ? true : undefined));
  } finally {
    await load.stop();
    proxy.set({ kind: 'pass' });
  }
  expect(load.refused.size).toBe(0);
  expect(load.unknown.size).toBe(0);
  await settled();
  await expectStoredOnce(mark, load);
  return load;
}

describe('ClickHouse unavailable under load', () => {
  it(
    'every connection reset for 30 s: health degraded with the cause, ingest acks, nothing lost or doubled',
    { timeout: 300_000 },
    async () => {
      await settled();
      await throughFault({ kind: 'reset' }, 30_000, async () => {
        const degraded = await eventually(async () => {
          const h = await health(app());
          return h.status === 'degraded' && h.causes.includes('clickhouse insert failing') ? h : undefined;
        }, 250);
        expect(degraded.causes).toContain('clickhouse unreachable');
        expect(degraded.clickhouse).toMatchObject({ transport: 'http', reachable: false });
        // Held in the log while ClickHouse is away.
        await eventually(async () => ((await health(app())).ingest.pending > 0 ? true : undefined), 250);
      });
      expect(proxy.stats.resets).toBeGreaterThan(0);
    },
  );

  it(
    'black-holed for 10 s (a partition: no answer at all), then back: nothing lost or doubled',
    { timeout: 300_000 },
    async () => {
      // At least 10 s, and until health has said degraded: a partition is seen only when a request times out.
      await throughFault({ kind: 'blackhole' }, 10_000, async () => {
        const degraded = await eventually(async () => {
          const h = await health(app());
          return h.status === 'degraded' ? h : undefined;
        }, 250);
        expect(degraded.causes).toContain('clickhouse unreachable');
      });
    },
  );

  it(
    'slow (every chunk held 800 ms each way) for 8 s: ingest acks, and every event is stored once',
    { timeout: 300_000 },
    async () => {
      await throughFault({ kind: 'delay', ms: 800 }, 8_000, async () => undefined);
    },
  );
});
