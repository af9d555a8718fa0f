/**
 * Scripted fault run (not a test; `npm run bench -- faults --minutes 10`, default 10): steady ingest
 * load and live walls against the real server, whose ClickHouse (chdb over HTTP in its own process,
 * tests/helpers/chdb-http.ts) sits behind a fault proxy, while a script cycles through faults:
 * ClickHouse connections reset, slowed, black-holed; the server killed with SIGKILL and restarted;
 * every wall socket dropped, or cut off for 30 s. Every operation is recorded (each request's ids
 * and answer, each fault, each wall's frames) in an NDJSON file, and the invariants are checked at
 * the end, once ClickHouse holds everything:
 * - acked ⊆ stored, and stored ⊆ acked ∪ unknown (a request that died with the server);
 * - no id stored twice, and the per-minute view counted each event once;
 * - each wall's final state (KPI, trend, feed) equals what the database says;
 * - orders, driven through the dispatch service (bench/fault-orders.ts): every acknowledged
 *   transition stored once, none stored unacknowledged, versions never repeated and rising with time.
 */
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PracticeEvent } from '../shared/events.js';
import { startOrders } from './fault-orders.js';
import { FEED_LENGTH, TREND_MINUTES } from '../shared/live.js';
import { queryCheckinTrend, queryKpi, queryRecentEvents } from '../server/store/kpi-repository.js';
import { startChdbHttp } from '../tests/helpers/chdb-http.js';
import { appealReceived, checkin } from '../tests/helpers/events.js';
import { startFaultProxy, type FaultMode } from '../tests/helpers/fault-proxy.js';
import { LiveWall, withoutTime, type WallView } from '../tests/helpers/live-wall.js';
import { health, startLoad, type LoadTarget } from '../tests/helpers/load.js';
import { freePort } from '../tests/helpers/ports.js';
import { startServer, type RunningServer } from '../tests/helpers/server.js';
import { minutesOption, type BenchRow } from './lib.js';

type Fault =
  | { kind: 'clickhouse'; mode: FaultMode; ms: number }
  | { kind: 'kill-server' }
  | { kind: 'drop-walls' }
  | { kind: 'cut-walls'; ms: number };

/** One cycle of the script; repeated, with quiet spells between faults, until the time is up. */
const SCRIPT: readonly Fault[] = [
  { kind: 'clickhouse', mode: { kind: 'reset' }, ms: 20_000 },
  { kind: 'drop-walls' },
  { kind: 'kill-server' },
  { kind: 'clickhouse', mode: { kind: 'delay', ms: 500 }, ms: 30_000 },
  { kind: 'cut-walls', ms: 30_000 },
  { kind: 'clickhouse', mode: { kind: 'blackhole' }, ms: 15_000 },
];
const QUIET_MS = 10_000;
const WALLS = 4;
/** Marks the run's rows: check-ins' activity and appeals' id start with it. */
const MARK = 'FAULTS';

export interface FaultReport {
  minutes: number;
  log: string;
  faults: Record<string, number>;
  acked: number;
  refused: number;
  unknown: number;
  unknownStored: number;
  lost: number;
  duplicates: number;
  extra: number;
  refusedStored: number;
  viewMismatch: number;
  wallsEqualToDatabase: number;
  walls: number;
  frames: number;
  resyncs: number;
  reconnects: number;
  orderVersionViolations: number;
  orderTransitions: number;
  orders: number;
  orderTransitionsAcked: number;
  orderTransitionsLost: number;
  orderTransitionsTwice: number;
  orderTransitionsUnacked: number;
  orderRetries: number;
  orderRefused: number;
}

/** `progress` hears each fault as it starts (the bench prints them; a test need not). */
export async function runFaults(
  minutes: number,
  progress: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<FaultReport> {
  const dir = mkdtempSync(join(tmpdir(), 'wmsj-faults-'));
  const log = join(dir, 'operations.ndjson');
  const out = createWriteStream(log);
  const record = (entry: object) => out.write(`${JSON.stringify({ at: Date.now(), ...entry })}\n`);

  const chdb = await startChdbHttp({ dataDir: join(dir, 'clickhouse') });
  const chProxy = await startFaultProxy({ port: chdb.port });
  const port = await freePort();
  const env = {
    CLICKHOUSE_URL: `http://default:@127.0.0.1:${chProxy.port}/wmsj`,
    // No history: a backfill over HTTP may not fit Fastify's 10 s plugin timeout on a loaded machine.
    BACKFILL_SCALE: '0',
    LOG_LEVEL: 'warn',
  };
  // Starting can still time out on a machine shared with other work; a start resumes where it stopped.
  const start = async (attempt = 1): Promise<RunningServer> =>
    startServer({ dataDir: join(dir, 'server'), port, env }).catch((e: unknown) => {
      record({ op: 'start-failed', attempt, error: String(e).slice(0, 500) });
      if (attempt >= 3) throw e;
      return start(attempt + 1);
    });
  let server = await start();
  const wallProxy = await startFaultProxy({ port });
  const direct = await chdb.connect('wmsj');
  const token = await server.wallToken();
  const walls = Array.from({ length: WALLS }, () => new LiveWall(`http://127.0.0.1:${wallProxy.port}`, token));
  walls.forEach((w, i) => {
    w.socket.on('live:snapshot', (s) => record({ op: 'frame', wall: i, kind: 'snapshot', seq: s.seq }));
    w.socket.on('live:tick', (t) => record({ op: 'frame', wall: i, kind: 'tick', seq: t.seq, feed: t.feed.length }));
    w.socket.on('disconnect', (reason) => record({ op: 'wall-disconnect', wall: i, reason }));
  });

  // Distinct times: the feed is ordered by time and ties could list either way round. One event a
  // millisecond at most, so the load stays under 1,000 events/s: faster, the stamps run ahead of the
  // clock, and the database's trend holds minutes the walls (which stop at now) do not show yet.
  let lastTs = 0;
  let k = 0;
  const make = (): PracticeEvent => {
    lastTs = Math.max(Date.now(), lastTs + 1);
    k += 1;
    if (k % 10 === 0) return appealReceived({ ts: lastTs, appealId: `${MARK}-${k}` });
    return checkin({
      ts: lastTs,
      activityId: `${MARK}-A${k % 40}`,
      volunteerId: `V${String(k % 500).padStart(6, '0')}`,
    });
  };
  const target: LoadTarget = { url: server.url, token: server.token };
  const load = startLoad(target, { make, batch: 20, senders: 2, pauseMs: 40, onResult: (r) => record(r) });
  const orders = startOrders(() => ({ url: server.url, login: () => server.login() }), 'S001', record);

  const faults: Record<string, number> = {};
  const startedAt = Date.now();
  const end = startedAt + minutes * 60_000;
  for (let step = 0; Date.now() < end; step += 1) {
    await sleep(Math.min(QUIET_MS, Math.max(0, end - Date.now())));
    const fault = SCRIPT[step % SCRIPT.length];
    if (!fault || Date.now() >= end) break;
    const name = fault.kind === 'clickhouse' ? `clickhouse ${fault.mode.kind}` : fault.kind;
    faults[name] = (faults[name] ?? 0) + 1;
    record({ op: 'fault', fault: name, phase: 'start' });
    progress(`  ${Math.round((Date.now() - startedAt) / 1000)} s: ${name}`);
    switch (fault.kind) {
      case 'clickhouse':
        chProxy.set(fault.mode);
        await sleep(fault.ms);
        chProxy.set({ kind: 'pass' });
        break;
      case 'kill-server':
        await server.kill();
        await sleep(2_000);
        server = await start();
        break;
      case 'drop-walls':
        wallProxy.set({ kind: 'reset' });
        wallProxy.set({ kind: 'pass' });
        break;
      case 'cut-walls':
        wallProxy.set({ kind: 'blackhole' });
        await sleep(fault.ms);
        wallProxy.set({ kind: 'pass' });
        break;
    }
    record({ op: 'fault', fault: name, phase: 'end' });
  }
  await Promise.all([load.stop(), orders.stop()]);
  record({ op: 'load-stopped', acked: load.acked.size, refused: load.refused.size, unknown: load.unknown.size });

  // Settle: everything accepted is in ClickHouse and health is back to ok.
  for (;;) {
    const h = await health(target).catch(() => null);
    if (h?.status === 'ok' && h.ingest.pending === 0) break;
    await sleep(500);
  }
  const stored = new Map(
    (
      await direct.query<{ event_id: string; n: number }>(
        `SELECT toString(id) AS event_id, count() AS n FROM events
         WHERE startsWith(subject_id, {mark:String}) GROUP BY id`,
        { mark: MARK },
      )
    ).map((r) => [r.event_id, r.n]),
  );
  const since = { since: Math.floor(startedAt / 1000) - 60 };
  const [minute] = await direct.query<{ n: number }>(
    `SELECT sum(events) AS n FROM events_minute WHERE minute >= toStartOfMinute(toDateTime({since:UInt32}))`,
    since,
  );
  const [raw] = await direct.query<{ n: number }>(
    `SELECT count() AS n FROM events FINAL WHERE ts >= toStartOfMinute(toDateTime({since:UInt32}))`,
    since,
  );
  const versions = await direct.query<{ bad: number; n: number }>(
    `SELECT countIf(versions != arraySort(versions) OR length(versions) != length(arrayDistinct(versions))) AS bad,
            count() AS n
     FROM (SELECT subject_id, arrayMap(x -> x.2, arraySort(groupArray((ts, version)))) AS versions
           FROM events WHERE type = 'order.transition' GROUP BY subject_id)`,
  );
  // Distinct event ids per transition: two would be a retried command applied twice.
  const transitions = new Map(
    (
      await direct.query<{ key: string; n: number }>(
        `SELECT concat(subject_id, ':', toString(version)) AS key, uniqExact(id) AS n
         FROM events WHERE type = 'order.transition' GROUP BY subject_id, version`,
      )
    ).map((r) => [r.key, r.n]),
  );

  // Each wall against the database, once it has caught up (bounded: a wall that never does is counted).
  const truth = async (): Promise<WallView> => {
    const now = Date.now();
    const figures = withoutTime(await queryKpi(direct, now));
    const trend = (await queryCheckinTrend(direct, now, TREND_MINUTES))
      .filter((p) => p.checkins > 0)
      .sort((a, b) => a.t - b.t);
    const feed = (await queryRecentEvents(direct, FEED_LENGTH)).map((r) => r.id);
    return { kpi: figures, trend, feed };
  };
  const waiting = new Set(walls);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const expected = await truth();
    for (const wall of waiting)
      if (JSON.stringify(wall.view(Date.now())) === JSON.stringify(expected)) waiting.delete(wall);
    if (waiting.size === 0 || Date.now() > deadline) {
      for (const wall of waiting) record({ op: 'wall-mismatch', wall: wall.view(Date.now()), expected });
      break;
    }
    await sleep(500);
  }
  const equal = walls.length - waiting.size;

  const report: FaultReport = {
    minutes,
    log,
    faults,
    acked: load.acked.size,
    refused: load.refused.size,
    unknown: load.unknown.size,
    unknownStored: [...load.unknown].filter((id) => stored.has(id)).length,
    lost: [...load.acked].filter((id) => !stored.has(id)).length,
    duplicates: [...stored.values()].filter((n) => n !== 1).length,
    extra: [...stored.keys()].filter((id) => !load.acked.has(id) && !load.unknown.has(id)).length,
    refusedStored: [...load.refused].filter((id) => stored.has(id)).length,
    viewMismatch: (minute?.n ?? 0) - (raw?.n ?? 0),
    wallsEqualToDatabase: equal,
    walls: walls.length,
    frames: walls.reduce((n, w) => n + w.counts.snapshots + w.counts.ticks, 0),
    resyncs: walls.reduce((n, w) => n + w.counts.resyncs, 0),
    reconnects: walls.reduce((n, w) => n + w.counts.connects - 1, 0),
    orderVersionViolations: versions[0]?.bad ?? 0,
    orderTransitions: versions[0]?.n ?? 0,
    orders: orders.orders,
    orderTransitionsAcked: orders.acked.size,
    orderTransitionsLost: [...orders.acked].filter((key) => !transitions.has(key)).length,
    orderTransitionsTwice: [...transitions.values()].filter((n) => n > 1).length,
    orderTransitionsUnacked: [...transitions.keys()].filter((key) => !orders.acked.has(key)).length,
    orderRetries: orders.retries,
    orderRefused: orders.refused,
  };
  record({ op: 'report', ...report });
  for (const w of walls) w.close();
  await server.stop();
  await direct.close();
  await wallProxy.close();
  await chProxy.close();
  await chdb.stop();
  await new Promise((r) => out.end(r));
  return report;
}

export async function benchFaults(): Promise<BenchRow[]> {
  const r = await runFaults(minutesOption(process.argv, 10));
  process.stderr.write(`faults: ${JSON.stringify(r, null, 2)}\n`);
  const row = (metric: string, value: number, unit: string, goal?: string): BenchRow => ({
    bench: 'faults',
    metric,
    value,
    unit,
    ...(goal ? { goal } : {}),
  });
  const faults = Object.entries(r.faults)
    .map(([k, n]) => `${k} ×${n}`)
    .join(', ');
  return [
    row(`${r.minutes} min with faults: ${faults}`, r.acked, 'events acked'),
    row('acked but not stored', r.lost, 'events', '0'),
    row('stored twice (ids; per-minute view − raw)', r.duplicates + Math.abs(r.viewMismatch), 'events', '0'),
    row('stored but never acked nor in a request that died', r.extra + r.refusedStored, 'events', '0'),
    row('in requests that failed on the wire, server down (stored / sent)', r.unknownStored, `/ ${r.unknown}`),
    row('walls equal to the database at the end', r.wallsEqualToDatabase, `/ ${r.walls}`, 'all'),
    row('wall frames (reconnects, resyncs)', r.frames, `(${r.reconnects}, ${r.resyncs})`),
    row(
      'order commands acknowledged (orders; commands sent again after a fault)',
      r.orderTransitionsAcked,
      `(${r.orders}; ${r.orderRetries})`,
    ),
    row('order transitions acked but not stored', r.orderTransitionsLost, 'transitions', '0'),
    row(
      'order transitions stored twice, or stored but never acked',
      r.orderTransitionsTwice + r.orderTransitionsUnacked,
      'transitions',
      '0',
    ),
    row(
      'order.transition versions out of order or repeated',
      r.orderVersionViolations,
      `/ ${r.orderTransitions} orders`,
      '0',
    ),
  ];
}
