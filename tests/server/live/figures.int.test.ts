/**
 * The server's live figures (server/live/figures.ts) against the raw SQL they stand in for, on real
 * chdb with the real migrations: nodes.status (queryNodeStatus) for every window, for the district
 * and for a town, and the KPI's volunteers on duty and activities today (queryKpi without them).
 * Checked after the start's read of the store, after events accepted live, after a block retried
 * with its deduplication token (and the same events accepted again), after a restart (a new read of
 * the same store), and with the write-ahead log's tail replayed as rows.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OrderState, PracticeEvent } from '../../../shared/events.js';
import type { NodeStatus } from '../../../shared/queries/nodes-status.js';
import { LiveFigures } from '../../../server/live/figures.js';
import { fromLine, insertEvents, toLine, toNdjson, toRow } from '../../../server/store/events-repository.js';
import { queryKpi } from '../../../server/store/kpi-repository.js';
import { readLiveFigures } from '../../../server/store/live-figures-repository.js';
import { queryNodeStatus } from '../../../server/store/map-repository.js';
import { migrate } from '../../../server/store/migrate.js';
import type { ScopeNodes } from '../../../server/store/scope-sql.js';
import type { Transport } from '../../../server/store/transport.js';
import { appealReceived, checkin, checkout } from '../../helpers/events.js';
import { openTestStore } from '../../helpers/test-store.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** A fixed noon in the county (UTC+8), so "today" holds the morning's events whatever the clock says. */
const NOW = Date.parse('2026-12-07T12:00:00+08:00');
const TOWN: ScopeNodes = ['I01', 'S001', 'S002', 'P0001'];
const INSTITUTE: Record<string, string> = { S001: 'I01', S002: 'I01', P0001: 'I01', S003: 'I02', I02: 'I02' };

const appealClosed = (appealId: string, ts: number): PracticeEvent => ({
  id: randomUUID(),
  type: 'appeal.closed',
  nodeId: 'S003',
  ts,
  appealId,
  actor: 'U1',
});
const order = (orderId: string, nodeId: string, to: OrderState, version: number, ts: number): PracticeEvent => ({
  id: randomUUID(),
  type: 'order.transition',
  nodeId,
  ts,
  orderId,
  from: null,
  to,
  version,
  actor: 'U1',
  volunteerId: null,
  reason: '',
});

/** A morning of a county: on duty, gone home, a tie, yesterday's, appeals and orders of every kind. */
function morning(): PracticeEvent[] {
  return [
    checkin({ nodeId: 'S001', volunteerId: 'V1', activityId: 'A1', ts: NOW - 3 * HOUR }),
    checkin({ nodeId: 'S001', volunteerId: 'V2', activityId: 'A1', ts: NOW - 2 * HOUR }),
    checkout({ nodeId: 'S001', volunteerId: 'V2', activityId: 'A1', ts: NOW - HOUR }),
    // Checked in and out on the same millisecond: the check-out wins.
    checkin({ nodeId: 'S002', volunteerId: 'V3', activityId: 'A2', ts: NOW - 30 * MIN }),
    checkout({ nodeId: 'S002', volunteerId: 'V3', activityId: 'A2', ts: NOW - 30 * MIN }),
    // One volunteer at two sites: on duty at each site's count, once in the KPI's.
    checkin({ nodeId: 'S002', volunteerId: 'V1', activityId: 'A2', ts: NOW - 20 * MIN }),
    checkin({ nodeId: 'S003', volunteerId: 'V4', activityId: 'A3', ts: NOW - 5 * MIN }),
    // Yesterday evening: in the 24 h check-ins, not on duty today.
    checkin({ nodeId: 'P0001', volunteerId: 'V5', activityId: 'A4', ts: NOW - 20 * HOUR }),
    checkin({ nodeId: 'S003', volunteerId: 'V6', activityId: 'A5', ts: NOW - 25 * HOUR }),
    appealReceived({ nodeId: 'S001', appealId: 'AP1', category: 'consult', ts: NOW - 30 * HOUR }),
    appealReceived({ nodeId: 'S001', appealId: 'AP2', category: 'complaint', ts: NOW - 2 * HOUR }),
    appealReceived({ nodeId: 'S003', appealId: 'AP3', category: 'suggestion', ts: NOW - 3 * HOUR }),
    appealClosed('AP3', NOW - HOUR),
    // The same appeal id received twice counts twice, as the SQL counts rows.
    appealReceived({ nodeId: 'S002', appealId: 'AP4', category: 'consult', ts: NOW - 4 * HOUR }),
    appealReceived({ nodeId: 'S002', appealId: 'AP4', category: 'consult', ts: NOW - 3 * HOUR }),
    appealReceived({ nodeId: 'S003', appealId: 'AP5', category: 'consult', ts: NOW - 8 * 24 * HOUR }),
    appealReceived({ nodeId: 'S001', appealId: 'AP7', category: 'complaint', ts: NOW - 20 * 24 * HOUR }),
    appealClosed('AP7', NOW - 19 * 24 * HOUR),
    appealReceived({ nodeId: 'S002', appealId: 'AP8', category: 'suggestion', ts: NOW - 40 * 24 * HOUR }),
    order('O1', 'S001', 'requested', 1, NOW - 2 * HOUR),
    order('O1', 'S001', 'accepted_by_center', 2, NOW - 90 * MIN),
    order('O2', 'S003', 'requested', 1, NOW - 10 * MIN),
    order('O3', 'S002', 'requested', 1, NOW - 5 * HOUR),
    order('O3', 'S002', 'completed', 2, NOW - 4 * HOUR),
    order('O4', 'P0001', 'requested', 1, NOW - 60 * HOUR),
  ];
}

/** Later in the day, accepted live: someone leaves, someone arrives, an appeal closes, an order moves. */
function afternoon(): PracticeEvent[] {
  return [
    checkout({ nodeId: 'S001', volunteerId: 'V1', activityId: 'A1', ts: NOW - 2 * MIN }),
    checkin({ nodeId: 'S002', volunteerId: 'V7', activityId: 'A6', ts: NOW - MIN }),
    appealClosed('AP2', NOW - MIN),
    order('O2', 'S003', 'accepted_by_center', 2, NOW - MIN),
    appealReceived({ nodeId: 'P0001', appealId: 'AP6', category: 'complaint', ts: NOW - MIN }),
  ];
}

const rows = (events: readonly PracticeEvent[]) => events.map((e) => toRow(e, INSTITUTE[e.nodeId] ?? ''));

async function expectSameAsSql(store: Transport, figures: LiveFigures, at = NOW): Promise<NodeStatus[]> {
  let district: NodeStatus[] = [];
  for (const window of ['1h', '6h', '24h'] as const)
    for (const scope of [null, TOWN]) {
      const answer = figures.nodeStatus(at, { window }, scope);
      expect(answer, `${window} ${scope ? 'town' : 'district'}`).toEqual(
        await queryNodeStatus(store, at, { window }, scope),
      );
      if (window === '24h' && scope === null) district = answer;
    }
  for (const scope of [null, TOWN, ['S002']]) {
    const kpi = await queryKpi(store, at, scope);
    expect(figures.today(at, scope)).toEqual({ active: kpi.volunteersActive, activities: kpi.activitiesToday });
  }
  return district;
}

async function loaded(store: Transport): Promise<LiveFigures> {
  const figures = new LiveFigures();
  figures.load(await readLiveFigures(store, NOW));
  return figures;
}

describe('live figures', () => {
  it('answer what the raw SQL answers: after the start, live events, a retried block and a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wmsj-figures-'));
    let store = await openTestStore(dir);
    let before: NodeStatus[];
    try {
      await migrate(store);
      await insertEvents(store, toNdjson(rows(morning())), 'wal-0-100');
      // The start reads only the windows: not the appeal of 40 days ago, nor yesterday's check-outs.
      const read = await readLiveFigures(store, NOW);
      expect(read.rows.map((r) => r.subject_id)).not.toContain('AP8');
      expect(read.rows.filter((r) => r.type === 'checkin')).toHaveLength(6);
      const figures = await loaded(store);
      const start = await expectSameAsSql(store, figures);
      // Something is on every figure, so a figure stuck at zero would fail.
      expect(start.find((s) => s.id === 'S001')).toMatchObject({ active: 1, checkins: 2, openOrders: 1 });
      expect(start.find((s) => s.id === 'S002')).toMatchObject({ active: 1, openAppeals: 2 });
      expect(start.some((s) => s.overdue > 0)).toBe(true);
      expect(figures.today(NOW, null)).toEqual({ active: 2, activities: 3 });

      // Accepted live: applied as ingest hands them over, then stored as the writer stores them.
      const live = afternoon();
      figures.accept(live);
      const block = toNdjson(rows(live));
      await insertEvents(store, block, 'wal-100-200');
      const after = await expectSameAsSql(store, figures);
      expect(after).not.toEqual(start);

      // The same block retried with its token (a lost answer), and the same events handed over again.
      await insertEvents(store, block, 'wal-100-200');
      figures.accept(live);
      figures.load(await readLiveFigures(store, NOW)); // a read overlapping what was accepted
      expect(await expectSameAsSql(store, figures)).toEqual(after);
      before = after;
    } finally {
      await store.close();
    }

    // A restart: a new server reads the same store once, and the log's unstored tail is replayed as rows.
    store = await openTestStore(dir);
    try {
      const figures = await loaded(store);
      expect(await expectSameAsSql(store, figures)).toEqual(before);
      const tail = [checkin({ nodeId: 'S003', volunteerId: 'V8', activityId: 'A7', ts: NOW - MIN })];
      for (const line of toNdjson(rows(tail)).toString('utf8').trimEnd().split('\n')) figures.apply(fromLine(line));
      await insertEvents(store, toNdjson(rows(tail)), 'wal-200-300');
      expect(await expectSameAsSql(store, figures)).not.toEqual(before);
      // Later the same day the windows slide: the check-ins leave the hour, an order turns overdue.
      await expectSameAsSql(store, figures, NOW + 50 * MIN);
      // Further on, minute by minute and then in one jump past midnight; a check-in arrives late, twice.
      await expectSameAsSql(store, figures, NOW + 3 * HOUR);
      const late = [checkin({ nodeId: 'S001', volunteerId: 'V9', activityId: 'A1', ts: NOW - 4 * HOUR })];
      figures.accept(late);
      figures.accept(late);
      await insertEvents(store, toNdjson(rows(late)), 'wal-300-400');
      await expectSameAsSql(store, figures, NOW + 3 * HOUR + 5 * MIN);
      await expectSameAsSql(store, figures, NOW + 23 * HOUR);
    } finally {
      await store.close();
    }
  });

  it('reads a compact line back into the row it was written from', () => {
    const row = toRow(order('O9', 'S001', 'claimed', 7, NOW + 0.5), 'I01');
    expect(fromLine(toLine({ ...row, ts: NOW + 123 }))).toEqual({ ...row, ts: NOW + 123 });
  });
});
