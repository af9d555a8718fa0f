/**
 * brands.ranking on real chdb (the real migrations and views): every brand of the scope is listed,
 * quiet ones with zeros, so the panel can say "128 个品牌，本月 N 个有活动"; and a brand's activities are
 * the activities linked to it that were held in the period, whenever the article linking them was
 * published, so its practice and its reads come from the same window.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PracticeEvent } from '../../../shared/events.js';
import type { Transport } from '../../../server/store/transport.js';
import { insertEvents, toNdjson, toRow } from '../../../server/store/events-repository.js';
import { queryBrandRanking } from '../../../server/store/media-repository.js';
import { migrate } from '../../../server/store/migrate.js';
import { checkin } from '../../helpers/events.js';
import { openTestStore } from '../../helpers/test-store.js';

const DAY = 86_400_000;
/** 2026-11-20 12:00 in the county: the month began 19.5 days ago. */
const NOW = Date.parse('2026-11-20T12:00:00+08:00');
const dir = mkdtempSync(join(tmpdir(), 'wmsj-brands-'));
let store: Transport;

const published = (articleId: string, brandId: string, activityId: string | null, nodeId: string, ts: number) =>
  ({
    id: randomUUID(),
    type: 'media.published',
    nodeId,
    ts,
    articleId,
    title: `【品牌${brandId}】文章${articleId}`,
    activityId,
    brandId,
  }) satisfies PracticeEvent;
const read = (articleId: string, nodeId: string, reads: number, ts: number): PracticeEvent => ({
  id: randomUUID(),
  type: 'media.read',
  nodeId,
  ts,
  articleId,
  reads,
  shares: 1,
});

beforeAll(async () => {
  store = await openTestStore(dir);
  await migrate(store);
  const events: PracticeEvent[] = [
    // B001: an article of last month reports ACT-LONG, which is held again this month, and is read now.
    published('ART-1', 'B001', 'ACT-LONG', 'S001', NOW - 40 * DAY),
    checkin({ nodeId: 'S001', activityId: 'ACT-LONG', ts: NOW - 41 * DAY }),
    ...[1, 2, 3].map((h) => checkin({ nodeId: 'S001', activityId: 'ACT-LONG', ts: NOW - h * 3_600_000 })),
    read('ART-1', 'S001', 5000, NOW - 3_600_000),
    // B002: published long ago, nothing since: a brand of the county, quiet this month.
    published('ART-2', 'B002', 'ACT-OLD', 'S002', NOW - 60 * DAY),
    checkin({ nodeId: 'S002', activityId: 'ACT-OLD', ts: NOW - 60 * DAY }),
    // B003: this month's article about this month's activity at another town's station.
    published('ART-3', 'B003', 'ACT-NEW', 'S050', NOW - 2 * DAY),
    ...[1, 2].map((h) => checkin({ nodeId: 'S050', activityId: 'ACT-NEW', ts: NOW - 2 * DAY - h * 60_000 })),
    read('ART-3', 'S050', 700, NOW - DAY),
  ];
  await insertEvents(store, toNdjson(events.map((e) => toRow(e, e.nodeId === 'S050' ? 'I05' : 'I01'))), 'brands');
}, 120_000);

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('brands.ranking', () => {
  it('lists every brand of the district, the quiet ones with zeros', async () => {
    const rows = await queryBrandRanking(store, NOW, { period: 'month' }, null);
    expect(rows.map((r) => r.id)).toEqual(['B001', 'B003', 'B002']);
    expect(rows.find((r) => r.id === 'B002')).toEqual({
      id: 'B002',
      name: '品牌B002',
      articles: 0,
      activities: 0,
      participants: 0,
      reads: 0,
      shares: 0,
    });
    expect(rows.filter((r) => r.activities > 0).map((r) => r.id)).toEqual(['B001', 'B003']);
  });

  it('counts the activities held in the period, linked by an article of any month, with their check-ins', async () => {
    const rows = await queryBrandRanking(store, NOW, { period: 'month' }, null);
    expect(rows.find((r) => r.id === 'B001')).toMatchObject({
      articles: 0,
      activities: 1,
      participants: 3,
      reads: 5000,
    });
    expect(rows.find((r) => r.id === 'B003')).toMatchObject({
      articles: 1,
      activities: 1,
      participants: 2,
      reads: 700,
    });
    // Over the year ACT-LONG's first check-in (41 days ago) counts too.
    const year = await queryBrandRanking(store, NOW, { period: 'year' }, null);
    expect(year.find((r) => r.id === 'B001')).toMatchObject({ articles: 1, activities: 1, participants: 4 });
    expect(year.find((r) => r.id === 'B002')).toMatchObject({ articles: 1, activities: 1, participants: 1 });
  });

  it('a scope lists only the brands that published or practised there', async () => {
    const town = await queryBrandRanking(store, NOW, { period: 'month' }, ['S001', 'S002']);
    expect(town.map((r) => [r.id, r.activities, r.reads])).toEqual([
      ['B001', 1, 5000],
      ['B002', 0, 0],
    ]);
  });
});
