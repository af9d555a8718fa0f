/**
 * The panel-content queries on the real server with no history (BACKFILL_SCALE=0), so every figure
 * is one of the events ingested here: day-over-day KPI, the evaluation ranking with weights from
 * EVALUATION_FILE, brand ranking and media propagation, each by scope.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodBounds } from '../../../shared/evaluation.js';
import type { PracticeEvent } from '../../../shared/events.js';
import { LIVE_NAMESPACE, type LiveClientToServer, type LiveServerToClient } from '../../../shared/live.js';
import type { QueryName, QueryResults, QuerySubscribe, QueryUpdate } from '../../../shared/queries/index.js';
import type { Result } from '../../../shared/result.js';
import { checkin } from '../../helpers/events.js';
import { eventually, startServer, type RunningServer } from '../../helpers/server.js';

type LiveSocket = Socket<LiveServerToClient, LiveClientToServer>;
let server: RunningServer;
let socket: LiveSocket;
const updates: QueryUpdate[] = [];

const DAY = 86_400_000;
const now = Date.now();
const midnight = Math.floor((now + 8 * 3_600_000) / DAY) * DAY - 8 * 3_600_000;
// Today's events a minute ago (or just after midnight); yesterday's 24 h before them.
const today = Math.max(midnight + 1_000, now - 60_000);
const yesterday = today - DAY;
// Station A is S001; B is the first station of another town (found in beforeAll).
const A = 'S001';
let B = '';
let townOfA = '';
let townOfB = '';

const media = (e: Record<string, unknown>): PracticeEvent => ({ id: randomUUID(), ts: today, ...e }) as PracticeEvent;
const events = (): PracticeEvent[] => [
  ...['V000001', 'V000002', 'V000003'].map((v) =>
    checkin({ nodeId: A, volunteerId: v, activityId: 'ACT-1', ts: today }),
  ),
  checkin({ nodeId: A, volunteerId: 'V000004', activityId: 'ACT-3', ts: today }),
  checkin({ nodeId: B, volunteerId: 'V000005', activityId: 'ACT-2', ts: today }),
  ...['V000001', 'V000002'].map((v) => checkin({ nodeId: A, volunteerId: v, activityId: 'ACT-0', ts: yesterday })),
  { ...checkin({ nodeId: A, ts: today }), type: 'checkout', activityId: 'ACT-1', hours: 2.5 } as PracticeEvent,
  media({
    type: 'media.published',
    nodeId: A,
    articleId: 'ART-1',
    title: '【幸福双流·致敬追光者】东升理论宣讲进社区',
    activityId: 'ACT-1',
    brandId: 'B001',
  }),
  media({
    type: 'media.published',
    nodeId: 'C0',
    articleId: 'ART-2',
    title: '双流区垃圾分类宣传',
    activityId: null,
    brandId: null,
  }),
  media({ type: 'media.read', nodeId: A, articleId: 'ART-1', reads: 1000, shares: 10 }),
  media({ type: 'media.read', nodeId: 'C0', articleId: 'ART-2', reads: 400, shares: 4 }),
  media({ type: 'media.read', nodeId: 'C0', articleId: 'ART-2', reads: 100, shares: 1 }),
];

async function watch(query: QueryName, params: unknown, scope?: string): Promise<string> {
  const request: QuerySubscribe = { query, params, ...(scope ? { scope } : {}) };
  const result = await new Promise<Result<QueryUpdate>>((resolve) => socket.emit('live:subscribe', request, resolve));
  if (!result.ok) throw new Error(`subscription to ${query} refused`);
  updates.push(result.data);
  return result.data.key;
}

/** The latest data of a subscription once it satisfies `ready`. */
function latest<Q extends QueryName>(key: string, ready: (d: QueryResults[Q]) => boolean): Promise<QueryResults[Q]> {
  return eventually(() => {
    const data = updates.findLast((u) => u.key === key && u.data !== undefined)?.data as QueryResults[Q] | undefined;
    return data !== undefined && ready(data) ? data : undefined;
  });
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wmsj-eval-'));
  const weights = {
    activities: 1,
    participants: 0,
    serviceHours: 0,
    ordersCompleted: 0,
    appealsClosed: 0,
    mediaReads: 0,
  };
  writeFileSync(join(dir, 'evaluation.json'), JSON.stringify({ weights }));
  server = await startServer({ env: { BACKFILL_SCALE: '0', EVALUATION_FILE: join(dir, 'evaluation.json') } });
  const wall = await server.wallToken();
  socket = io(`${server.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], forceNew: true, auth: { token: wall } });
  socket.on('live:query', (u) => updates.push(u));
  await new Promise<void>((resolve) => socket.once('live:snapshot', () => resolve()));
  const network = (await (
    await fetch(`${server.url}/api/network`, { headers: { authorization: `Bearer ${wall}` } })
  ).json()) as {
    nodes: { id: string; instituteId: string | null }[];
  };
  townOfA = network.nodes.find((n) => n.id === A)?.instituteId ?? '';
  const other = network.nodes.find((n) => n.id.startsWith('S') && n.instituteId !== townOfA);
  B = other?.id ?? '';
  townOfB = other?.instituteId ?? '';
});
afterAll(async () => {
  socket.disconnect();
  await server.stop();
});

describe('panel-content queries on seeded events', () => {
  const keys: Record<string, string> = {};
  beforeAll(async () => {
    keys['compare'] = await watch('kpi.compare', {});
    keys['stations'] = await watch('evaluation', { period: 'month', level: 'station' });
    keys['townStations'] = await watch('evaluation', { period: 'month', level: 'station' }, townOfA);
    keys['institutes'] = await watch('evaluation', { period: 'year', level: 'institute' });
    keys['brands'] = await watch('brands.ranking', { period: 'month' });
    keys['media'] = await watch('media.propagation', { window: '24h', limit: 5 });
    keys['townBMedia'] = await watch('media.propagation', { window: '24h', limit: 5 }, townOfB);
    keys['trend'] = await watch('trend', { metric: 'checkins', window: '24h' });
    keys['townATrend'] = await watch('trend', { metric: 'checkins', window: '24h' }, townOfA);
    keys['townBTrend'] = await watch('trend', { metric: 'checkins', window: '24h' }, townOfB);
    keys['dailyTrend'] = await watch('trend', { metric: 'checkins', window: '30d' });
    const response = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify(events()),
    });
    expect(await response.json()).toMatchObject({ accepted: events().length, rejected: 0 });
  });

  it('kpi.compare: today so far against yesterday up to the same time', async () => {
    const data = await latest<'kpi.compare'>(keys['compare'] ?? '', (d) => d.today.mediaReads > 0);
    expect(data.today).toMatchObject({ checkins: 5, activities: 3, serviceHours: 2.5, mediaReads: 1500 });
    expect(data.yesterday).toMatchObject({ checkins: 2, activities: 1, mediaReads: 0 });
  });

  it('evaluation: weights from EVALUATION_FILE rank stations by activities, ties share a rank', async () => {
    const data = await latest<'evaluation'>(keys['stations'] ?? '', (d) => d.rows.some((r) => r.score > 0));
    expect(data.weights.activities).toBe(1);
    expect(data.rows.length).toBe(118);
    // Yesterday's activity counts too unless today is the first of the month.
    const sameMonth = periodBounds('month', yesterday).start === periodBounds('month', today).start;
    const activities = sameMonth ? 3 : 2;
    expect(data.rows[0]).toMatchObject({
      id: A,
      rank: 1,
      score: 100,
      figures: { activities, participants: sameMonth ? 6 : 4, serviceHours: 2.5 },
    });
    expect(data.rows[1]).toMatchObject({ id: B, rank: 2, score: Math.round(10_000 / activities) / 100 });
    expect(data.rows.slice(2).every((r) => r.rank === 3 && r.score === 0)).toBe(true);
  });

  it('evaluation: a town scope ranks only its own stations; institutes carry their stations', async () => {
    const town = await latest<'evaluation'>(keys['townStations'] ?? '', (d) => d.rows.some((r) => r.score > 0));
    expect(town.rows[0]?.id).toBe(A);
    expect(town.rows.some((r) => r.id === B)).toBe(false);
    const institutes = await latest<'evaluation'>(keys['institutes'] ?? '', (d) => d.rows.some((r) => r.score > 0));
    expect(institutes.rows.length).toBe(9);
    expect(institutes.rows[0]).toMatchObject({ id: townOfA, score: 100 });
    expect(institutes.rows[0]?.figures.activities).toBeGreaterThanOrEqual(2);
  });

  it('brands.ranking: a brand counts its articles, the activities they report and their check-ins', async () => {
    const data = await latest<'brands.ranking'>(keys['brands'] ?? '', (d) => d.length > 0 && (d[0]?.reads ?? 0) > 0);
    expect(data).toEqual([
      { id: 'B001', name: '幸福双流·致敬追光者', articles: 1, activities: 1, participants: 3, reads: 1000, shares: 10 },
    ]);
  });

  it('media.propagation: totals, the activity-linked share, top brands and articles; scoped', async () => {
    const data = await latest<'media.propagation'>(keys['media'] ?? '', (d) => d.reads === 1500);
    expect(data).toMatchObject({ reads: 1500, shares: 15, activityReads: 1000 });
    expect(data.brands).toEqual([{ id: 'B001', name: '幸福双流·致敬追光者', reads: 1000, shares: 10 }]);
    expect(data.articles.map((a) => [a.id, a.reads, a.brandId, a.activityId])).toEqual([
      ['ART-1', 1000, 'B001', 'ACT-1'],
      ['ART-2', 500, '', ''],
    ]);
    expect(data.activities).toEqual([
      { id: 'ACT-1', title: '【幸福双流·致敬追光者】东升理论宣讲进社区', brandId: 'B001', articles: 1, reads: 1000 },
    ]);
    // Town B published nothing: its screens see none of town A's or the county desk's reach.
    const other = updates.findLast((u) => u.key === keys['townBMedia'] && u.data)
      ?.data as QueryResults['media.propagation'];
    expect(other.reads).toBe(0);
  });

  it('trend: annotated with the reports published in the window and scope, the most-read first', async () => {
    const data = await latest<'trend'>(keys['trend'] ?? '', (d) => d.marks.length === 2);
    expect(data.marks.map((m) => [m.title, m.nodeId, m.reads, m.t])).toEqual([
      ['【幸福双流·致敬追光者】东升理论宣讲进社区', A, 1000, today],
      ['双流区垃圾分类宣传', 'C0', 500, today],
    ]);
    const townA = await latest<'trend'>(keys['townATrend'] ?? '', (d) => d.marks.length > 0);
    expect(townA.marks.map((m) => m.title)).toEqual(['【幸福双流·致敬追光者】东升理论宣讲进社区']);
    const townB = updates.findLast((u) => u.key === keys['townBTrend'] && u.data)?.data as QueryResults['trend'];
    expect(townB.marks).toEqual([]);
  });
  it("trend by day: each day's bucket starts at the county's midnight, whatever the ClickHouse server's zone", async () => {
    const data = await latest<'trend'>(keys['dailyTrend'] ?? '', (d) => d.points.length === 2);
    expect(data.bucketMs).toBe(DAY);
    expect(data.points).toEqual([
      { t: midnight - DAY, v: 2 },
      { t: midnight, v: 5 },
    ]);
  });

  it('masks phone and ID numbers in report titles on every panel that shows them (they reach walls)', async () => {
    const title = '【求助】联系电话１３８ １２３４ ５６７８，身份证510116199001011234';
    const published = [
      media({ type: 'media.published', nodeId: B, articleId: 'ART-PII', title, activityId: 'ACT-PII', brandId: null }),
      media({ type: 'media.read', nodeId: B, articleId: 'ART-PII', reads: 50, shares: 1 }),
    ];
    const response = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify(published),
    });
    expect(await response.json()).toMatchObject({ accepted: 2, rejected: 0 });
    const reach = await latest<'media.propagation'>(keys['townBMedia'] ?? '', (d) => d.reads === 50);
    const trend = await latest<'trend'>(keys['townBTrend'] ?? '', (d) => d.marks.length === 1);
    const shown = [
      ...reach.articles.map((a) => a.title),
      ...reach.activities.map((a) => a.title),
      trend.marks[0]?.title,
    ];
    expect(shown.length).toBeGreaterThanOrEqual(2);
    for (const text of shown) {
      const digits = (text ?? '').normalize('NFKC').replace(/\D/g, '');
      expect(digits).not.toContain('13812345678');
      expect(digits).not.toContain('510116199001011234');
      expect(text).toContain('【求助】联系电话');
    }
  });
});
