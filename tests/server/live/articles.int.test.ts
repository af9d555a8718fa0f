/**
 * The articles a live server keeps (server/live/articles.ts, inside live/figures.ts) against the SQL
 * they stand in for, on real chdb with the real migrations: `media.propagation`, `brands.ranking`
 * and the `trend`'s marks answered with the live figures equal the same queries answered by a
 * replay's SQL (no figures), for every window or period, the district and a town. Checked after the start's read of the store,
 * after publications accepted live (one of them an article published again under a new title),
 * after a block retried with its deduplication token (and the same events accepted again), after a
 * restart (a new read of the same store), and with the write-ahead log's tail replayed as rows.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EVALUATION } from '../../../shared/evaluation.js';
import { TimeWindow } from '../../../shared/queries/window.js';
import type { PracticeEvent } from '../../../shared/events.js';
import { LiveFigures } from '../../../server/live/figures.js';
import { QUERIES } from '../../../server/queries/index.js';
import { fromLine, insertEvents, toNdjson, toRow } from '../../../server/store/events-repository.js';
import { readLiveFigures } from '../../../server/store/live-figures-repository.js';
import { migrate } from '../../../server/store/migrate.js';
import type { ScopeNodes } from '../../../server/store/scope-sql.js';
import type { Transport } from '../../../server/store/transport.js';
import { checkin } from '../../helpers/events.js';
import { openTestStore } from '../../helpers/test-store.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** A fixed noon in the county (UTC+8): the month began six days ago. */
const NOW = Date.parse('2026-12-07T12:00:00+08:00');
const TOWN: ScopeNodes = ['I01', 'S001', 'S002', 'P0001'];
const INSTITUTE: Record<string, string> = { S001: 'I01', S002: 'I01', P0001: 'I01', S003: 'I02', I02: 'I02' };

const published = (
  articleId: string,
  nodeId: string,
  brandId: string | null,
  activityId: string | null,
  title: string,
  ts: number,
): PracticeEvent => ({ id: randomUUID(), type: 'media.published', nodeId, ts, articleId, title, brandId, activityId });
const read = (articleId: string, nodeId: string, reads: number, shares: number, ts: number): PracticeEvent => ({
  id: randomUUID(),
  type: 'media.read',
  nodeId,
  ts,
  articleId,
  reads,
  shares,
});

/**
 * Articles of two brands, one of no brand, one reporting no activity, one published before the
 * month; reads at sites of both towns, in the window's partial first hour (read raw), and of an
 * article never published. Reads differ everywhere, so no ordering rests on a tie.
 */
function history(): PracticeEvent[] {
  return [
    published('ART1', 'S001', 'B1', 'ACT1', '【甲】一', NOW - 10 * DAY),
    published('ART2', 'S002', 'B1', null, '【甲】二', NOW - 2 * DAY),
    published('ART3', 'S003', 'B2', 'ACT2', '【乙】三', NOW - 40 * DAY),
    published('ART4', 'S001', null, null, '无品牌', NOW - 3 * HOUR),
    published('ART5', 'S003', 'B2', 'ACT2', '【乙】五', NOW - DAY),
    published('ART8', 'S002', 'B2', 'ACT4', '【乙】八', NOW - 5 * DAY),
    read('ART1', 'S001', 500, 7, NOW - 9 * DAY),
    read('ART1', 'S002', 130, 2, NOW - 7 * DAY + 10 * MIN),
    read('ART1', 'S003', 41, 1, NOW - 5 * HOUR),
    read('ART2', 'S002', 220, 3, NOW - 30 * HOUR),
    read('ART3', 'S003', 905, 11, NOW - 35 * DAY),
    read('ART3', 'S001', 63, 0, NOW - 20 * DAY),
    read('ART4', 'S001', 77, 4, NOW - HOUR - 7 * MIN),
    read('ART5', 'S003', 312, 5, NOW - 20 * HOUR),
    read('ART5', 'P0001', 29, 1, NOW - 2 * HOUR),
    read('ARTX', 'S002', 17, 0, NOW - 3 * DAY),
    checkin({ nodeId: 'S001', volunteerId: 'V1', activityId: 'ACT1', ts: NOW - 2 * DAY }),
    checkin({ nodeId: 'S003', volunteerId: 'V2', activityId: 'ACT2', ts: NOW - DAY }),
    checkin({ nodeId: 'S003', volunteerId: 'V3', activityId: 'ACT2', ts: NOW - 50 * DAY }),
    checkin({ nodeId: 'S002', volunteerId: 'V4', activityId: 'ACT4', ts: NOW - 4 * DAY }),
    checkin({ nodeId: 'S001', volunteerId: 'V5', activityId: 'ACT4', ts: NOW - 3 * DAY }),
  ];
}

/**
 * Accepted live: ART2 published again under a new title, and a new article published before it
 * (out of time order) with its reads.
 */
function later(): PracticeEvent[] {
  return [
    published('ART2', 'S002', 'B1', 'ACT1', '【甲】二（更正）', NOW - 15 * MIN),
    read('ART2', 'S001', 54, 6, NOW - 10 * MIN),
    published('ART6', 'P0001', 'B3', 'ACT3', '【丙】六', NOW - 30 * MIN),
    read('ART6', 'P0001', 88, 9, NOW - 20 * MIN),
  ];
}

const WINDOWS = Object.values(TimeWindow);

const rows = (events: readonly PracticeEvent[]) => events.map((e) => toRow(e, INSTITUTE[e.nodeId] ?? ''));

/** Both queries, every window or period and scope: live (with `figures`) against the replay's SQL. */
async function expectSameAsSql(store: Transport, figures: LiveFigures): Promise<unknown[]> {
  const answers: unknown[] = [];
  const ctx = { store, now: NOW, config: { evaluation: DEFAULT_EVALUATION } };
  for (const scope of [null, TOWN]) {
    for (const window of ['24h', '7d', '30d'] as const) {
      for (const limit of [2, 20]) {
        const run = QUERIES['media.propagation'].run;
        const live = await run({ ...ctx, figures }, { window, limit }, scope);
        expect(live, `${window} ${limit} ${scope ? 'town' : 'district'}`).toEqual(
          await run(ctx, { window, limit }, scope),
        );
        answers.push(live);
      }
    }
    for (const window of WINDOWS) {
      const run = QUERIES.trend.run;
      const live = await run({ ...ctx, figures }, { metric: 'mediaReads', window }, scope);
      expect(live, `trend ${window} ${scope ? 'town' : 'district'}`).toEqual(
        await run(ctx, { metric: 'mediaReads', window }, scope),
      );
      answers.push(live);
    }
    for (const period of ['month', 'half', 'year'] as const) {
      const run = QUERIES['brands.ranking'].run;
      const live = await run({ ...ctx, figures }, { period }, scope);
      expect(live, `${period} ${scope ? 'town' : 'district'}`).toEqual(await run(ctx, { period }, scope));
      answers.push(live);
    }
  }
  return answers;
}

async function loaded(store: Transport): Promise<LiveFigures> {
  const figures = new LiveFigures();
  figures.load(await readLiveFigures(store, NOW));
  return figures;
}

describe('live articles', () => {
  it('answer what the SQL answers: after the start, live publications, a retried block and a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wmsj-articles-'));
    let store = await openTestStore(dir);
    let before: unknown[];
    try {
      await migrate(store);
      await insertEvents(store, toNdjson(rows(history())), 'wal-0-100');
      const figures = await loaded(store);
      expect(figures.articles.size).toBe(6);
      const start = await expectSameAsSql(store, figures);
      // Something is on every part of the answer, so a part stuck empty would fail.
      const month = await QUERIES['media.propagation'].run(
        { store, now: NOW, config: { evaluation: DEFAULT_EVALUATION }, figures },
        { window: '30d', limit: 20 },
        null,
      );
      expect(month.brands.map((b) => b.name)).toEqual(['甲', '乙']);
      expect(month.articles.map((a) => a.id)).toContain('ARTX');
      expect(month.activities.find((a) => a.id === 'ACT2')).toMatchObject({ title: '【乙】五', articles: 2 });
      const brands = await QUERIES['brands.ranking'].run(
        { store, now: NOW, config: { evaluation: DEFAULT_EVALUATION }, figures },
        { period: 'month' },
        null,
      );
      expect(brands.find((b) => b.id === 'B2')).toMatchObject({ activities: 2, participants: 3, articles: 2 });

      // Accepted live: applied as ingest hands them over, then stored as the writer stores them.
      const live = later();
      figures.accept(live);
      const block = toNdjson(rows(live));
      await insertEvents(store, block, 'wal-100-200');
      const after = await expectSameAsSql(store, figures);
      expect(after).not.toEqual(start);
      // The article published again is marked once, by its latest publication.
      const trend = await QUERIES.trend.run(
        { store, now: NOW, config: { evaluation: DEFAULT_EVALUATION }, figures },
        { metric: 'mediaReads', window: '7d' },
        null,
      );
      expect(trend.marks.map((m) => m.title)).toEqual(['【乙】五', '【甲】二（更正）', '【丙】六']);

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
      const tail = [
        published('ART7', 'S002', 'B3', null, '【丙】七', NOW - 5 * MIN),
        read('ART7', 'S002', 15, 2, NOW - 4 * MIN),
      ];
      for (const line of toNdjson(rows(tail)).toString('utf8').trimEnd().split('\n')) figures.apply(fromLine(line));
      await insertEvents(store, toNdjson(rows(tail)), 'wal-200-300');
      expect(await expectSameAsSql(store, figures)).not.toEqual(before);
    } finally {
      await store.close();
    }
  });

  it('marks a trend alike when the window has more articles than the live path names', async () => {
    const store = await openTestStore(mkdtempSync(join(tmpdir(), 'wmsj-articles-many-')));
    try {
      await migrate(store);
      // 1,001 articles of the last day, every seventh read: the district's more than the live path
      // names (queries/trend.ts), the town's fewer.
      const events: PracticeEvent[] = [];
      for (let i = 0; i < 1_001; i += 1) {
        const ts = NOW - 20 * HOUR + i * MIN;
        const nodeId = i % 2 === 0 ? 'S001' : 'S003';
        events.push(published(`M${i}`, nodeId, 'B1', null, `【甲】${i}`, ts));
        if (i % 7 === 0) events.push(read(`M${i}`, nodeId, (i * 37) % 1_000, 0, ts + MIN));
      }
      await insertEvents(store, toNdjson(rows(events)), 'wal-0-1');
      const figures = await loaded(store);
      const ctx = { store, now: NOW, config: { evaluation: DEFAULT_EVALUATION } };
      for (const scope of [null, TOWN]) {
        const live = await QUERIES.trend.run({ ...ctx, figures }, { metric: 'mediaReads', window: '24h' }, scope);
        expect(live).toEqual(await QUERIES.trend.run(ctx, { metric: 'mediaReads', window: '24h' }, scope));
        expect(live.marks).toHaveLength(3);
      }
    } finally {
      await store.close();
    }
  });
});
