/**
 * The evaluation (一月一评估) reads per-month rollups (migration 007): sums from `events_month`,
 * distinct activities from per-month uniqExact states merged over the period. Its figures equal the
 * same query over the raw events, for every period, level and scope — on a store that had history
 * before 007 (rolled up once from the daily views), then live blocks, a retried one and an activity
 * running across a month's end. Real chdb, the real migrations.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PracticeEvent } from '../../../shared/events.js';
import { DEFAULT_EVALUATION } from '../../../shared/evaluation.js';
import { queryEvaluation } from '../../../server/store/evaluation-repository.js';
import { insertEvents, toNdjson, toRow } from '../../../server/store/events-repository.js';
import { loadMigrations, migrate } from '../../../server/store/migrate.js';
import type { ScopeNodes } from '../../../server/store/scope-sql.js';
import type { Params, Transport } from '../../../server/store/transport.js';
import { checkin, checkout } from '../../helpers/events.js';
import { INSTITUTE_OF, insertSmallNetwork } from '../../helpers/small-network.js';
import { openTestStore } from '../../helpers/test-store.js';

const DAY = 86_400_000;
const now = Date.now();
let store: Transport;

/** Check-ins, check-outs with hours, completed orders, closed appeals and reads at `ts` and `site`. */
function dayOfWork(ts: number, site: string, activity: string): PracticeEvent[] {
  return [
    checkin({ ts, nodeId: site, activityId: activity, volunteerId: 'V1' }),
    checkin({ ts: ts + 1, nodeId: site, activityId: activity, volunteerId: 'V2' }),
    checkout({ ts: ts + 2, nodeId: site, activityId: activity, volunteerId: 'V1', hours: 2.5 }),
    {
      id: randomUUID(),
      type: 'order.transition',
      nodeId: site,
      ts,
      orderId: `O-${activity}`,
      from: 'in_service',
      to: 'completed',
      version: 7,
      actor: 'V1',
      volunteerId: 'V1',
      reason: '',
    },
    { id: randomUUID(), type: 'appeal.closed', nodeId: site, ts, appealId: `AP-${activity}`, actor: 'desk' },
    { id: randomUUID(), type: 'media.read', nodeId: site, ts, articleId: `ART-${activity}`, reads: 40, shares: 2 },
  ];
}

const block = (events: PracticeEvent[]) => toNdjson(events.map((e) => toRow(e, INSTITUTE_OF[e.nodeId] ?? 'I01')));

beforeAll(async () => {
  store = await openTestStore(mkdtempSync(join(tmpdir(), 'wmsj-evaluation-')));
  await migrate(
    store,
    loadMigrations().filter((m) => m.version < 7),
  );
  await insertSmallNetwork(store);
  // History before 007, over two years: rolled up once when 007 runs.
  const history = [400, 200, 45, 10].flatMap((days, k) =>
    ['S001', 'P001', 'S002', 'S101'].flatMap((site) => dayOfWork(now - days * DAY, site, `A-${site}-${k}`)),
  );
  await insertEvents(store, block(history), 'history');
  await migrate(store);
  // Live after 007: the same activity on both sides of a month's end, and a retried block.
  const live = [
    ...dayOfWork(now - 35 * DAY, 'S001', 'A-LONG'),
    ...dayOfWork(now - DAY, 'S001', 'A-LONG'),
    ...dayOfWork(now, 'P001', 'A-NEW'),
    ...dayOfWork(now, 'S101', 'A-NEW2'),
  ];
  await insertEvents(store, block(live), 'live');
  await insertEvents(store, block(live), 'live');
});
afterAll(async () => {
  await store.close();
});

/** Queries rewritten onto the raw events so far. */
let rewritten = 0;

/**
 * The evaluation's own SQL over the raw events: each rollup replaced by the events it rolls up. A
 * rollup left in the SQL fails, so a change to the query cannot silently compare it with itself.
 */
function overRawEvents(t: Transport): Transport {
  const RAW: [string, string][] = [
    [
      'FROM events_month AS e',
      'FROM (SELECT toStartOfMonth(toDate(ts)) AS month, type, institute_id, node_id, tag, 1 AS events, value FROM events) AS e',
    ],
    [
      'FROM activity_month AS e',
      "FROM (SELECT toStartOfMonth(toDate(ts)) AS month, institute_id, node_id, subject_id AS activity FROM events WHERE type = 'checkin') AS e",
    ],
    ['uniqExactMerge(e.activities)', 'uniqExact(e.activity)'],
  ];
  return {
    kind: t.kind,
    command: (sql, params) => t.command(sql, params),
    insertJsonEachRow: (table, ndjson, options) => t.insertJsonEachRow(table, ndjson, options),
    close: () => t.close(),
    query<T>(sql: string, params?: Params) {
      const raw = RAW.reduce((text, [rollup, events]) => text.replace(rollup, events), sql);
      if (/events_month|activity_month|uniqExactMerge/.test(raw)) throw new Error(`a rollup left in: ${raw}`);
      if (raw !== sql) rewritten += 1;
      return t.query<T>(raw, params);
    },
  };
}

/** The district, and town I01 as the hub scopes it: the institute and every node under it. */
const SCOPES: ScopeNodes[] = [null, ['I01', 'S001', 'P001', 'S002']];

describe('the evaluation on month rollups', () => {
  it('equals the same query over the raw events, per period, level and scope', async () => {
    for (const period of ['month', 'half', 'year'] as const)
      for (const level of ['institute', 'station'] as const)
        for (const scope of SCOPES) {
          const params = { period, level };
          const rolled = await queryEvaluation(store, now, params, scope, DEFAULT_EVALUATION);
          const before = rewritten;
          const raw = await queryEvaluation(overRawEvents(store), now, params, scope, DEFAULT_EVALUATION);
          expect(rewritten - before, 'both the sums and the activities read raw').toBe(2);
          expect(rolled, `${period} ${level} ${String(scope)}`).toEqual(raw);
          expect(rolled.rows.some((r) => r.score > 0)).toBe(true);
        }
  });

  it("counts an activity that runs across a month's end once in the year, with its points'", async () => {
    const { rows } = await queryEvaluation(
      store,
      now,
      { period: 'year', level: 'station' },
      ['S001', 'P001'],
      DEFAULT_EVALUATION,
    );
    const [s001] = rows;
    const [raw] = await store.query<{ n: number }>(
      `SELECT uniqExact(subject_id) AS n FROM events
       WHERE type = 'checkin' AND node_id IN ('S001', 'P001') AND toStartOfYear(toDate(ts)) = toStartOfYear(today())`,
    );
    expect(s001?.figures.activities).toBe(raw?.n);
  });
});
