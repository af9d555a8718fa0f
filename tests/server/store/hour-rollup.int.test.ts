/**
 * The per-hour rollup (migration 014) read with the minutes of partial hours (store/rollup-sql.ts)
 * answers what the per-minute rollup alone answered: the hourly trends (24 h, 7 d), the KPI's sums
 * today and all time, and the day-over-day sums, at moments on and off the hour, live and as of a
 * past moment (a replay's cut store). Real chdb, the real migrations; the expected figures are the
 * minute table's own SQL as it was before the hours. A live server's KPI (one statement, all time
 * from the monthly rollup alone) answers what the replay's statements answer, in every scope.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PracticeEvent } from '../../../shared/events.js';
import { asOf } from '../../../server/store/as-of.js';
import { queryKpiCompare } from '../../../server/store/compare-repository.js';
import { insertEvents, toNdjson, toRow } from '../../../server/store/events-repository.js';
import { queryKpi } from '../../../server/store/kpi-repository.js';
import { migrate } from '../../../server/store/migrate.js';
import { insertVolunteers } from '../../../server/store/network-repository.js';
import { queryTrend } from '../../../server/store/panel-repository.js';
import type { Transport } from '../../../server/store/transport.js';
import { ZONE } from '../../../server/store/zone.js';
import { appealReceived, checkin, checkout } from '../../helpers/events.js';
import { openTestStore } from '../../helpers/test-store.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** 14:37:20 in the county: neither on the hour nor on the minute. */
const NOW = Date.parse('2026-12-07T14:37:20+08:00');

/**
 * Events every 23 minutes over nine days before NOW and a few after it (a clock ahead); the
 * appeals from 40 days back, so the months before this one hold some.
 */
function history(): PracticeEvent[] {
  const events: PracticeEvent[] = [];
  for (let ts = NOW - 9 * 24 * HOUR, i = 0; ts < NOW + 20 * MIN; ts += 23 * MIN, i += 1) {
    const nodeId = i % 3 === 0 ? 'S002' : 'S001';
    events.push(checkin({ nodeId, ts, volunteerId: `V${i % 7}` }));
    if (i % 2 === 0) events.push(checkout({ nodeId, ts: ts + 7 * MIN, hours: 1.5 }));
    if (i % 5 === 0) events.push(appealReceived({ nodeId, ts: ts + 3 * MIN, appealId: `AP${i}` }));
    if (i % 10 === 0) events.push(appealClosed(nodeId, `AP${i}`, ts + 40 * MIN));
    if (i % 4 === 0) events.push(mediaRead(nodeId, ts + MIN));
  }
  for (let ts = NOW - 40 * 24 * HOUR, i = 0; ts < NOW - 9 * 24 * HOUR; ts += 17 * HOUR, i += 1) {
    events.push(appealReceived({ nodeId: 'S001', ts, appealId: `OLD${i}` }));
    if (i % 3 === 0) events.push(appealClosed('S002', `OLD${i}`, ts + HOUR));
  }
  return events;
}

const appealClosed = (nodeId: string, appealId: string, ts: number): PracticeEvent => ({
  id: randomUUID(),
  type: 'appeal.closed',
  nodeId,
  ts,
  appealId,
  actor: 'U1',
});
const mediaRead = (nodeId: string, ts: number): PracticeEvent => ({
  id: randomUUID(),
  type: 'media.read',
  nodeId,
  ts,
  articleId: 'ART1',
  reads: 30,
  shares: 2,
});

/** Registered volunteers at both stations: the KPI's registry count in each scope. */
const VOLUNTEERS = ['S001', 'S001', 'S002'].map((stationId, i) => ({
  id: `V${i}`,
  name: `志愿者${i}`,
  phone: `1380000000${i}`,
  teamId: `I01:${stationId}:T01`,
  instituteId: 'I01',
  stationId,
  skills: [],
  registeredAt: Math.floor((NOW - 50 * 24 * HOUR) / 1000),
}));

/** The hourly trend as the minute table alone answered it. */
const minuteTrend = (t: Transport, now: number, windowMs: number, type: string, sum: boolean) =>
  t.query<{ t: number; v: number }>(
    `SELECT toUnixTimestamp(toStartOfInterval(minute, toIntervalSecond(3600))) * 1000 AS t,
            ${sum ? 'sum(value)' : 'toFloat64(sum(events))'} AS v
     FROM events_minute
     WHERE type = {type:String} AND minute >= toDateTime(fromUnixTimestamp64Milli({from:Int64}), {tz:String})
     GROUP BY t ORDER BY t`,
    { type, from: now - windowMs, ...ZONE },
  );

/** Today's and all-time sums as the minute and day tables alone answered them. */
const minuteKpi = async (t: Transport, now: number) =>
  (
    await t.query<Record<string, number>>(
      `WITH toStartOfDay(fromUnixTimestamp64Milli({now:Int64}), {tz:String}) AS midnight
       SELECT (SELECT sum(events) FROM events_minute WHERE type = 'checkin' AND minute >= midnight) AS checkinsToday,
              (SELECT sum(events) FROM events_minute WHERE type = 'appeal.received' AND minute >= midnight)
            + (SELECT sum(events) FROM events_day WHERE type = 'appeal.received' AND day < toDate(midnight)) AS appealsReceived`,
      { now, ...ZONE },
    )
  )[0];

/** Day-over-day sums as the minute table alone answered them. */
const minuteCompare = async (t: Transport, now: number) => {
  const rows = await t.query<{ today: number; checkins: number; hours: number }>(
    `WITH fromUnixTimestamp64Milli({now:Int64}) AS at, toStartOfDay(at, {tz:String}) AS midnight
     SELECT toUInt8(minute >= midnight) AS today, toFloat64(sumIf(events, type = 'checkin')) AS checkins,
            sumIf(value, type = 'checkout') AS hours
     FROM events_minute
     WHERE minute >= midnight - toIntervalDay(1) AND minute <= at AND (minute >= midnight OR minute <= at - toIntervalDay(1))
     GROUP BY today`,
    { now, ...ZONE },
  );
  const day = (today: number) => rows.find((r) => r.today === today) ?? { checkins: 0, hours: 0 };
  return { today: day(1), yesterday: day(0) };
};

async function expectSameAsMinutes(t: Transport, now: number, live: boolean): Promise<void> {
  for (const window of ['24h', '7d'] as const) {
    const windowMs = window === '24h' ? 24 * HOUR : 7 * 24 * HOUR;
    const checkins = await queryTrend(t, now, { metric: 'checkins', window }, null);
    expect(checkins.points, `${window} check-ins at ${now}`).toEqual(
      await minuteTrend(t, now, windowMs, 'checkin', false),
    );
    const hours = await queryTrend(t, now, { metric: 'serviceHours', window }, null);
    expect(hours.points).toEqual(await minuteTrend(t, now, windowMs, 'checkout', true));
    expect(checkins.points.length).toBeGreaterThan(5);
  }
  const kpi = await queryKpi(t, now);
  const expected = await minuteKpi(t, now);
  expect({ checkinsToday: kpi.checkinsToday, appealsReceived: kpi.appealsReceived }).toEqual(expected);
  // A live server's statement; its two distinct counts come from the live figures, here the SQL's.
  for (const scope of live ? [null, ['S002'], ['I01', 'S001', 'S002']] : []) {
    const sql = await queryKpi(t, now, scope);
    const counts = () => ({ active: sql.volunteersActive, activities: sql.activitiesToday });
    expect(await queryKpi(t, now, scope, counts), `live KPI ${JSON.stringify(scope)} at ${now}`).toEqual(sql);
    expect(sql.registeredVolunteers).toBe(scope?.length === 1 ? 1 : 3);
  }
  expect(kpi.appealsClosed).toBeGreaterThan(0);
  expect(kpi.mediaReadsToday).toBeGreaterThan(0);
  const compare = await queryKpiCompare(t, now, {}, null);
  const minutes = await minuteCompare(t, now);
  for (const day of ['today', 'yesterday'] as const)
    expect({ checkins: compare[day].checkins, hours: compare[day].serviceHours }).toEqual({
      checkins: minutes[day].checkins,
      hours: Math.round(minutes[day].hours * 10) / 10,
    });
}

describe('the per-hour rollup', () => {
  it('answers the hourly trends, the KPI and the day-over-day sums as the minutes did, live and as of a moment', async () => {
    const store = await openTestStore(mkdtempSync(join(tmpdir(), 'wmsj-hours-')));
    try {
      await migrate(store);
      const events = history();
      // Two blocks, the second retried with its token: every rollup counts it once.
      const half = Math.floor(events.length / 2);
      await insertEvents(store, toNdjson(events.slice(0, half).map((e) => toRow(e, 'I01'))), 'wal-0-1');
      const second = toNdjson(events.slice(half).map((e) => toRow(e, 'I01')));
      await insertEvents(store, second, 'wal-1-2');
      await insertEvents(store, second, 'wal-1-2');
      await insertVolunteers(store, VOLUNTEERS);
      for (const now of [NOW, NOW - 37 * MIN - 20_000, NOW - 2 * 24 * HOUR + 59 * MIN]) {
        await expectSameAsMinutes(store, now, true);
        // A replay's store, cut at the moment: its hours end at the last whole one.
        await expectSameAsMinutes(asOf(store, now), now, false);
      }
    } finally {
      await store.close();
    }
  });
});
