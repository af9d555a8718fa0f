/**
 * A block retried with the same deduplication token (ingest's retry after a reset connection or a
 * lost answer) is stored once and counted once by the per-minute and per-day rollups that feed the
 * wall's KPIs and trend (migration 004; the per-hour one, 014), lands once in the articles table (005) and is counted once
 * by the activity and article rollups (006). Real chdb, the real migrations.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PracticeEvent } from '../../../shared/events.js';
import { insertEvents, toNdjson, toRow } from '../../../server/store/events-repository.js';
import { migrate } from '../../../server/store/migrate.js';
import { appealReceived, checkin } from '../../helpers/events.js';
import { openTestStore } from '../../helpers/test-store.js';

const article = (): PracticeEvent => ({
  id: randomUUID(),
  type: 'media.published',
  nodeId: 'S001',
  ts: Date.now(),
  articleId: 'ART-1',
  title: '【幸福双流】宣讲进社区',
  activityId: 'A1',
  brandId: 'B001',
});
const read = (): PracticeEvent => ({
  id: randomUUID(),
  type: 'media.read',
  nodeId: 'S001',
  ts: Date.now(),
  articleId: 'ART-1',
  reads: 40,
  shares: 3,
});

describe('retried inserts and the rollups', () => {
  it('counts a block retried with its token once, in events, every rollup and the articles', async () => {
    const store = await openTestStore(mkdtempSync(join(tmpdir(), 'wmsj-dedup-')));
    try {
      await migrate(store);
      const block = toNdjson([checkin(), checkin(), appealReceived(), article(), read()].map((e) => toRow(e, 'I01')));
      await insertEvents(store, block, 'wal-0-100');
      await insertEvents(store, block, 'wal-0-100'); // the retry
      await insertEvents(store, toNdjson([toRow(checkin(), 'I01')]), 'wal-100-150'); // the next block
      const [counts] = await store.query<Record<string, number>>(
        `SELECT (SELECT count() FROM events) AS raw,
                (SELECT sum(events) FROM events_minute) AS minute,
                (SELECT sum(events) FROM events_hour) AS hour,
                (SELECT sum(events) FROM events_day) AS day,
                (SELECT sum(events) FROM events_month) AS month,
                (SELECT count() FROM articles) AS articles,
                (SELECT sum(checkins) FROM activity_day) AS checkins,
                (SELECT toUInt64(uniqExactMerge(activities)) FROM activity_month) AS activities,
                (SELECT sum(reads) FROM media_read_hour) AS reads,
                (SELECT sum(shares) FROM media_read_hour) AS shares`,
      );
      // Counted without FINAL: a second copy would stay until a merge.
      expect(counts).toEqual({
        raw: 6,
        minute: 6,
        hour: 6,
        day: 6,
        month: 6,
        articles: 1,
        checkins: 3,
        activities: 1,
        reads: 40,
        shares: 3,
      });
    } finally {
      await store.close();
    }
  });
});
