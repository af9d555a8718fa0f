/**
 * The media panels read the per-article hourly rollup (migration 006) joined to the `articles`
 * table (005) instead of raw reads joined to a grouping of all publications. On a seeded store
 * (real chdb, the real migrations, history backfilled and later blocks through the views) their
 * answers equal the join over raw events they replaced, for every window and both scopes, including
 * an article published in the same block as its first reads.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PracticeEvent } from '../../../shared/events.js';
import { periodBounds } from '../../../shared/evaluation.js';
import { WINDOW_MS } from '../../../shared/queries/window.js';
import { insertEvents, toNdjson, toRow } from '../../../server/store/events-repository.js';
import { queryBrandRanking, queryMediaPropagation } from '../../../server/store/media-repository.js';
import { loadMigrations, migrate } from '../../../server/store/migrate.js';
import { scopeParams, type ScopeNodes } from '../../../server/store/scope-sql.js';
import type { Transport } from '../../../server/store/transport.js';
import { checkin } from '../../helpers/events.js';
import { openTestStore } from '../../helpers/test-store.js';

const DAY = 86_400_000;
const now = Date.now();
const NODES = ['S001', 'S002', 'C0'];
let store: Transport;

/** The queries before migration 005: each window's reads joined to a grouping of all publications. */
const ARTICLES = `(SELECT subject_id AS article, any(actor) AS brand, any(tag) AS activity, any(title) AS title
   FROM events WHERE type = 'media.published' GROUP BY article)`;
const SCOPE = '({all:UInt8} = 1 OR r.node_id IN {nodes:Array(String)})';
const READS = `FROM events AS r INNER JOIN ${ARTICLES} AS a ON a.article = r.subject_id
   WHERE r.type = 'media.read' AND r.ts >= fromUnixTimestamp64Milli({from:Int64}) AND ${SCOPE}`;
const RAW = {
  totals: `SELECT sum(r.value) AS reads, toFloat64(sum(r.version)) AS shares, sumIf(r.value, a.activity != '') AS activityReads
    FROM events AS r LEFT JOIN ${ARTICLES} AS a ON a.article = r.subject_id
    WHERE r.type = 'media.read' AND r.ts >= fromUnixTimestamp64Milli({from:Int64}) AND ${SCOPE}`,
  brands: `SELECT a.brand AS id, extract(any(a.title), '^【([^】]+)】') AS name, sum(r.value) AS reads,
    toFloat64(sum(r.version)) AS shares ${READS} AND a.brand != '' GROUP BY id ORDER BY reads DESC, id LIMIT {limit:UInt32}`,
  articles: `SELECT r.id AS id, a.title AS title, a.brand AS brandId, a.activity AS activityId, r.reads AS reads, r.shares AS shares
    FROM (SELECT subject_id AS id, sum(value) AS reads, toFloat64(sum(version)) AS shares FROM events AS r
          WHERE type = 'media.read' AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ${SCOPE}
          GROUP BY id ORDER BY reads DESC, id LIMIT {limit:UInt32}) AS r
    LEFT JOIN ${ARTICLES} AS a ON a.article = r.id ORDER BY reads DESC, id`,
  // Named by the activity's most-read article in the window.
  activities: `SELECT activity AS id, argMax(title, article_reads) AS title, any(brand) AS brandId,
    toFloat64(count()) AS articles, sum(article_reads) AS reads
    FROM (SELECT a.activity AS activity, a.article AS article, any(a.title) AS title, any(a.brand) AS brand,
                 sum(r.value) AS article_reads ${READS} AND a.activity != '' GROUP BY activity, article)
    GROUP BY id ORDER BY reads DESC, id LIMIT {limit:UInt32}`,
};

/** A small deterministic generator, so a failure reproduces. */
function* numbers(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    yield x / 2_147_483_648;
  }
}

function seedEvents(): PracticeEvent[][] {
  const rand = numbers(7);
  const next = () => rand.next().value as number;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const published: PracticeEvent[] = [];
  const reads: PracticeEvent[] = [];
  for (let k = 0; k < 40; k += 1) {
    const articleId = `ART-${k}`;
    const brandId = k % 5 === 0 ? null : `B00${k % 4}`;
    // One brand covers an activity (which of several is named is incidental, before and after).
    const activityId = k % 3 === 0 ? null : `ACT-${k % 4}-${brandId ?? 'none'}`;
    // Titles carry the brand's 【…】 as the media platform writes them.
    const title = `${brandId ? `【品牌${brandId}】` : ''}文章${k}`;
    const ts = now - Math.floor(next() * 40 * DAY);
    published.push({
      id: randomUUID(),
      type: 'media.published',
      nodeId: pick(NODES),
      ts,
      articleId,
      title,
      activityId,
      brandId,
    });
  }
  // Reads of published articles and of others; distinct values so "most-read" never ties.
  for (let i = 0; i < 600; i += 1) {
    const articleId = `ART-${Math.floor(next() * 55)}`;
    const ts = now - Math.floor(next() * 35 * DAY);
    reads.push({
      id: randomUUID(),
      type: 'media.read',
      nodeId: pick(NODES),
      ts,
      articleId,
      reads: 1000 + i,
      shares: i % 9,
    });
  }
  const checkins = Array.from({ length: 50 }, () =>
    checkin({
      nodeId: pick(NODES),
      activityId: `ACT-${Math.floor(next() * 7)}`,
      ts: now - Math.floor(next() * 30 * DAY),
    }),
  );
  // Most articles and reads arrive before the migration (the backfill), the rest after it (the
  // views): one later block publishes an article and carries its first reads.
  const late: PracticeEvent[] = [
    {
      id: randomUUID(),
      type: 'media.published',
      nodeId: 'S001',
      ts: now - 60_000,
      articleId: 'ART-NEW',
      title: '【品牌B001】新文章',
      activityId: 'ACT-9',
      brandId: 'B001',
    },
    ...[5000, 7000].map((n): PracticeEvent => ({
      id: randomUUID(),
      type: 'media.read',
      nodeId: 'S001',
      ts: now - 30_000,
      articleId: 'ART-NEW',
      reads: n,
      shares: 3,
    })),
  ];
  return [
    [...published.slice(0, 30), ...reads.slice(0, 400), ...checkins],
    [...published.slice(30), ...reads.slice(400)],
    late,
  ];
}

beforeAll(async () => {
  store = await openTestStore(mkdtempSync(join(tmpdir(), 'wmsj-media-')));
  const [before = [], after = [], late = []] = seedEvents();
  await migrate(
    store,
    loadMigrations().filter((m) => m.version < 5),
  );
  await insertEvents(store, toNdjson(before.map((e) => toRow(e, 'I01'))), 'seed-0');
  await migrate(store);
  await insertEvents(store, toNdjson(after.map((e) => toRow(e, 'I01'))), 'seed-1');
  await insertEvents(store, toNdjson(late.map((e) => toRow(e, 'I01'))), 'seed-2');
});
afterAll(async () => {
  await store.close();
});

const SCOPES: ScopeNodes[] = [null, ['S001', 'S002']];
const WINDOWS = ['24h', '7d', '30d'] as const;

describe('media panels on the articles table', () => {
  it('media.propagation equals the join over raw events, per window and scope', async () => {
    for (const scope of SCOPES) {
      for (const window of WINDOWS) {
        const bound = { from: now - WINDOW_MS[window], limit: 5, ...scopeParams(scope) };
        const [totals] = await store.query<{ reads: number; shares: number; activityReads: number }>(RAW.totals, bound);
        const expected = {
          ...totals,
          brands: await store.query(RAW.brands, bound),
          articles: await store.query(RAW.articles, bound),
          activities: await store.query(RAW.activities, bound),
        };
        expect(
          await queryMediaPropagation(store, now, { window, limit: 5 }, scope),
          `${window} ${String(scope)}`,
        ).toEqual(expected);
        expect(expected.brands.length, 'the seed reaches brands in every window').toBeGreaterThan(0);
      }
    }
  });

  it('counts the reads of an article published in the same block as them', async () => {
    const data = await queryMediaPropagation(store, now, { window: '24h', limit: 5 }, null);
    expect(data.activities.find((a) => a.id === 'ACT-9')).toMatchObject({
      reads: 12_000,
      articles: 1,
      title: '【品牌B001】新文章',
    });
  });

  it('brands.ranking reach equals the join over raw events, per period and scope', async () => {
    for (const scope of SCOPES) {
      for (const period of ['month', 'half', 'year'] as const) {
        const from = Date.parse(`${periodBounds(period, now).start}T00:00:00+08:00`);
        const reach = await store.query<{ id: string; reads: number; shares: number }>(RAW.brands, {
          from,
          limit: 1000,
          ...scopeParams(scope),
        });
        const rows = await queryBrandRanking(store, now, { period }, scope);
        const read = rows
          .filter((r) => r.reads > 0)
          .map(({ id, name, reads, shares }) => ({ id, name, reads, shares }));
        expect(read, `${period} ${String(scope)}`).toEqual(reach);
      }
    }
  });
});
