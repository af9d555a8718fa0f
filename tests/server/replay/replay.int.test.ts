/**
 * 回放 on the real server and real chdb: a replayed minute's figures equal the store's own for that
 * minute, counted here directly from the raw events (nothing after the minute, however much came
 * since); the replayed feed is masked as on the live wall; the evaluation is scored with the weights
 * version then in force; a replaying wall gets no live frame, and back on live its snapshot equals a
 * new wall's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PracticeEvent } from '../../../shared/events.js';
import type { ReplayFrame } from '../../../shared/live.js';
import { maskName } from '../../../shared/mask.js';
import { DEFAULT_EVALUATION, scoreUnits } from '../../../shared/evaluation.js';
import type { Weights } from '../../../shared/evaluation-weights.js';
import type { CategoryCount } from '../../../shared/queries/appeals-categories.js';
import type { EvaluationResult } from '../../../shared/queries/evaluation.js';
import type { Result } from '../../../shared/result.js';
import { UTC_OFFSET_MS } from '../../../shared/time-zone.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { appealReceived, checkin, checkout } from '../../helpers/events.js';
import { LiveWall, withoutTime } from '../../helpers/live-wall.js';
import { eventually } from '../../helpers/server.js';

const DAY = 86_400_000;
const MIN = 60_000;
/** Yesterday 10:30 on the county's clock: the replayed minute. */
const midnight = Math.floor((Date.now() + UTC_OFFSET_MS) / DAY) * DAY - UTC_OFFSET_MS - DAY;
const T = midnight + 10.5 * 60 * MIN;
const zeroWeights: Weights = {
  activities: 0,
  participants: 0,
  serviceHours: 0,
  ordersCompleted: 0,
  appealsClosed: 0,
  mediaReads: 0,
};
const NAME = '王建国';
const PHONE = '13912345678';

let server: TestApp;
let token: string;
const walls: LiveWall[] = [];

async function post(events: PracticeEvent[]): Promise<void> {
  const response = await server.fetch(`${server.url}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  expect(response.status).toBe(200);
  const ids = events.map((e) => e.id);
  await eventually(async () => {
    const [row] = await server.app.store.query<{ n: number }>(
      'SELECT count() AS n FROM events WHERE toString(id) IN {ids:Array(String)}',
      { ids },
    );
    return row?.n === ids.length ? true : undefined;
  });
}

async function wall(): Promise<LiveWall> {
  const w = new LiveWall(server.url, token);
  walls.push(w);
  await eventually(() => (w.counts.snapshots > 0 ? true : undefined));
  return w;
}

const read = (w: LiveWall, at: number, panels: unknown[] = []) =>
  w.socket.timeout(30_000).emitWithAck('replay:read', { at, panels } as never) as Promise<Result<ReplayFrame>>;

beforeAll(async () => {
  server = await startApp();
  token = await server.wallToken();
  await post([
    checkin({ ts: T - 40 * MIN, volunteerId: 'VR1', activityId: 'RA1' }),
    checkin({ ts: T - 20 * MIN, volunteerId: 'VR2', activityId: 'RA1' }),
    checkout({ ts: T - 10 * MIN, volunteerId: 'VR2', activityId: 'RA1' }),
    checkin({ ts: T - 2 * MIN, volunteerId: 'VR3', activityId: 'RA2' }),
    appealReceived({
      ts: T - 5 * MIN,
      appealId: 'RAP1',
      citizenName: NAME,
      citizenPhone: PHONE,
      title: `求助电话${PHONE}`,
    }),
    // After the replayed minute: never in its figures.
    checkin({ ts: T + 30_000, volunteerId: 'VR4', activityId: 'RA3' }),
    checkin({ ts: T + 5 * MIN, volunteerId: 'VR5', activityId: 'RA3' }),
    appealReceived({ ts: T + 10 * MIN, appealId: 'RAP2' }),
  ]);
}, 120_000);
afterAll(async () => {
  for (const w of walls) w.close();
  await server.close();
});

describe('a replayed minute', () => {
  it('equals the store counted directly for that minute, panels included', { timeout: 60_000 }, async () => {
    const w = await wall();
    const result = await read(w, T + 20_000, [
      { id: 'categories', query: 'appeals.categories', params: { window: '24h' } },
    ]);
    if (!result.ok) throw new Error(result.error.code);
    const { snapshot, panels } = result.data;

    const q = <R>(sql: string) => server.app.store.query<R>(sql, { t: T, m: midnight });
    const [direct] = await q<Record<string, number>>(
      `WITH fromUnixTimestamp64Milli({t:Int64}) AS t, fromUnixTimestamp64Milli({m:Int64}) AS m
       SELECT countIf(type = 'checkin' AND ts >= m) AS checkinsToday,
              uniqExactIf(subject_id, type = 'checkin' AND ts >= m) AS activitiesToday,
              countIf(type = 'appeal.received') AS appealsReceived,
              countIf(type = 'appeal.closed') AS appealsClosed,
              toUInt64(sumIf(value, type = 'media.read' AND ts >= m)) AS mediaReadsToday
       FROM events WHERE ts < t`,
    );
    const [active] = await q<{ n: number }>(
      `WITH fromUnixTimestamp64Milli({t:Int64}) AS t, fromUnixTimestamp64Milli({m:Int64}) AS m
       SELECT countIf(i > o) AS n FROM (SELECT maxIf(ts, type = 'checkin') AS i, maxIf(ts, type = 'checkout') AS o
       FROM events WHERE type IN ('checkin', 'checkout') AND ts >= m AND ts < t GROUP BY volunteer_id)`,
    );
    const [registered] = await q<{ n: number }>(
      `SELECT count() AS n FROM volunteers FINAL WHERE registered_at < fromUnixTimestamp64Milli({t:Int64})`,
    );
    expect(direct?.['checkinsToday']).toBeGreaterThanOrEqual(3);
    expect(snapshot.kpi).toMatchObject({ ...direct, volunteersActive: active?.n, registeredVolunteers: registered?.n });
    expect(snapshot.kpi.asOf).toBe(T + 20_000);

    const minutes = await q<{ t: number; checkins: number }>(
      `SELECT toUnixTimestamp(toStartOfMinute(ts)) * 1000 AS t, toUInt64(count()) AS checkins FROM events
       WHERE type = 'checkin' AND ts < fromUnixTimestamp64Milli({t:Int64})
         AND ts >= fromUnixTimestamp64Milli({t:Int64}) - INTERVAL 59 MINUTE
       GROUP BY t ORDER BY t`,
    );
    expect([...snapshot.trend].sort((a, b) => a.t - b.t)).toEqual(minutes);
    expect(minutes.some((p) => p.t === T - 2 * MIN)).toBe(true);

    const categories = await q<{ category: string; received: number }>(
      `SELECT tag AS category, count() AS received FROM events WHERE type = 'appeal.received'
       AND ts < fromUnixTimestamp64Milli({t:Int64}) AND ts >= fromUnixTimestamp64Milli({t:Int64}) - INTERVAL 24 HOUR
       GROUP BY category ORDER BY category`,
    );
    const panel = panels.find((p) => p.id === 'categories');
    expect(panel?.error).toBeUndefined();
    expect((panel?.data as CategoryCount[]).map(({ category, received }) => ({ category, received }))).toEqual(
      categories,
    );
  });

  it('shows the feed up to its moment, masked as on the live wall', { timeout: 60_000 }, async () => {
    const w = await wall();
    const result = await read(w, T);
    if (!result.ok) throw new Error(result.error.code);
    const feed = result.data.snapshot.feed;
    expect(feed.every((f) => f.ts <= T)).toBe(true);
    const appeal = feed.find((f) => f.type === 'appeal.received' && f.ts === T - 5 * MIN);
    expect(appeal?.who).toBe(maskName(NAME));
    const text = JSON.stringify(result.data);
    expect(text).not.toContain(NAME);
    expect(text).not.toContain(PHONE);
    expect(text).not.toContain(PHONE.slice(3));
  });

  it('refuses a panel outside the screen, bad parameters and a malformed read', async () => {
    const w = await wall();
    const result = await read(w, T, [
      { id: 'bad', query: 'appeals.categories', params: { window: 'forever' } },
      { id: 'nowhere', query: 'appeals.categories', scope: 'NO-SUCH-NODE', params: { window: '1h' } },
    ]);
    if (!result.ok) throw new Error(result.error.code);
    expect(result.data.panels).toEqual([
      { id: 'bad', error: 'REQ_VALIDATION' },
      { id: 'nowhere', error: 'LIVE_UNKNOWN_SCOPE' },
    ]);
    const malformed = (await w.socket.timeout(10_000).emitWithAck('replay:read', { at: -1 } as never)) as Result<never>;
    expect(malformed.ok || malformed.error.code).toBe('REQ_VALIDATION');
  });
});

describe('the evaluation in replay', () => {
  it(
    'scores with the weights version in force at the replayed minute, not the one in force now',
    { timeout: 90_000 },
    async () => {
      // Version 1 (reads alone) saved an hour before the replayed minute; the configuration's before it.
      const mediaOnly = { ...zeroWeights, mediaReads: 100 };
      const saved = await server.app.weights.save(mediaOnly, 0, 'admin', 'replay test', T - 60 * MIN);
      expect(saved.version).toBe(1);
      const panel = { id: 'ranking', query: 'evaluation', params: { period: 'month', level: 'institute' } };
      const scored = async (at: number) => {
        const result = await read(await wall(), at, [panel]);
        if (!result.ok) throw new Error(result.error.code);
        const data = result.data.panels.find((p) => p.id === 'ranking')?.data as EvaluationResult;
        expect(data.rows.length).toBeGreaterThan(0);
        // Each score is the figures scored with the weights the answer names.
        expect(data.rows.map((r) => r.score)).toEqual(
          scoreUnits(data.rows, { weights: data.weights }).map((r) => r.score),
        );
        return data.weights;
      };
      expect(await scored(T - 2 * 60 * MIN)).toEqual(DEFAULT_EVALUATION.weights);
      expect(await scored(T)).toEqual(mediaOnly);
    },
  );
});

describe('leaving live and coming back', () => {
  it(
    'gets no live frame while replaying; back on live, its snapshot is a new wall’s',
    { timeout: 90_000 },
    async () => {
      const replaying = await wall();
      const watching = await wall();
      const live: string[] = [];
      const first = await read(replaying, T);
      expect(first.ok).toBe(true);
      replaying.socket.onAny((event: string) => live.push(event));

      const now = checkin({ volunteerId: 'VR9', activityId: 'RA9' });
      await post([now]);
      await eventually(() => (watching.feed.some((f) => f.id === now.id) ? true : undefined));
      expect(live).toEqual([]);

      const snapshots = replaying.counts.snapshots;
      replaying.socket.disconnect();
      replaying.socket.connect();
      await eventually(() => (replaying.counts.snapshots > snapshots ? true : undefined));
      const fresh = await wall();
      expect(replaying.feed.some((f) => f.id === now.id)).toBe(true);
      expect(replaying.kpi && withoutTime(replaying.kpi)).toEqual(fresh.kpi && withoutTime(fresh.kpi));
      expect(replaying.trend).toEqual(fresh.trend);
      expect(replaying.feed.map((f) => f.id)).toEqual(fresh.feed.map((f) => f.id));
    },
  );
});
