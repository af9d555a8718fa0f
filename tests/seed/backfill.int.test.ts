/**
 * The backfill on a real embedded ClickHouse (chdb). chdb allows one data directory per process, so
 * every check shares one store, filled once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedTransport } from '../../server/store/embedded.js';
import { migrate } from '../../server/store/migrate.js';
import { latestEventAt, openAppeals, openCheckins, recentArticles } from '../../server/store/in-progress-repository.js';
import { loadNetwork } from '../../server/store/network-repository.js';
import { backfill, type BackfillReport } from '../../seed/backfill.js';
import { FLAGSHIP_SHARE } from '../../seed/brands.js';
import { brandsOf } from '../../seed/names.js';
import { generateNetwork } from '../../seed/network.js';
import { saveNetwork } from '../../server/store/network-repository.js';

const SCALE = 0.02;
const NOW = Date.parse('2026-06-15T04:30:00Z');
const YEAR_MS = 365 * 86_400_000;
const network = generateNetwork('shuangliu');
const dir = mkdtempSync(join(tmpdir(), 'seed-backfill-'));
const t = new EmbeddedTransport(dir);
let report: BackfillReport;
const progress: [string, number, number][] = [];

beforeAll(async () => {
  await migrate(t);
  await saveNetwork(t, network);
  report = await backfill(t, network, { seed: 20231, scale: SCALE, now: NOW, onProgress: (...p) => progress.push(p) });
}, 120_000);

afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const one = async <T>(sql: string): Promise<T> => {
  const [row] = await t.query<T>(sql, { now: NOW });
  if (!row) throw new Error(`no row: ${sql}`);
  return row;
};

describe('saveNetwork', () => {
  it('writes a network the server reads back unchanged', async () => {
    expect(await loadNetwork(t)).toEqual(network);
  });
});

describe('backfill at scale 0.02', () => {
  it('reports rows per table, sized by the articles × scale', () => {
    expect(report.rows['volunteers']).toBe(2_720);
    expect(report.rows['events.appeal.received']).toBe(401);
    // the article's 19,597 closed less those still in progress at now (the simulator's to close)
    expect(report.rows['events.appeal.closed']).toBeLessThanOrEqual(392);
    expect(report.rows['events.appeal.closed']).toBeGreaterThan(392 - 10);
    expect(report.rows['events.media.published']).toBe(900);
    expect(report.rows['events.checkin']).toBeGreaterThan(144 * 4 * 0.9);
    for (const type of ['checkout', 'order.transition', 'volunteer.status', 'media.read', 'appeal.assigned']) {
      expect(report.rows[`events.${type}`]).toBeGreaterThan(0);
    }
    expect(report.ms).toBeGreaterThan(0);
    expect(progress.at(-1)).toEqual(['media', progress.length, progress.length]);
  });

  it('closes appeals at the article’s rate', async () => {
    const { rate } = await one<{ rate: number }>(
      "SELECT countIf(type = 'appeal.closed') / countIf(type = 'appeal.received') AS rate FROM events",
    );
    expect(rate).toBeCloseTo(19_597 / 20_038, 2);
  });

  it('leaves the appeals of the last days in progress at now, for the live simulator to carry on', async () => {
    const open = await openAppeals(t, NOW - 8 * 86_400_000);
    const inProgress = open.filter((a) => a.lastAt > NOW - 3 * 86_400_000);
    expect(inProgress.length).toBeGreaterThan(0);
    expect(open.every((a) => a.steps >= 0 && a.steps <= 2 && a.lastAt <= NOW && a.nodeId !== '')).toBe(true);
  });

  it('names the articles still being read and the newest event, for the live simulator to go on from', async () => {
    const articles = await recentArticles(t, NOW - 4 * 86_400_000);
    expect(articles.length).toBeGreaterThan(0);
    expect(articles.every((a) => /^ART-\d+$/.test(a.id) && a.nodeId !== '')).toBe(true);
    const latest = await latestEventAt(t, NOW);
    expect(latest).toBeLessThanOrEqual(NOW);
    expect(latest).toBeGreaterThan(NOW - 86_400_000);
    expect(await latestEventAt(t, NOW - 400 * 86_400_000)).toBeNull();
  });

  it('finds the volunteers checked in and not out: exactly the check-ins of the last hours without a check-out', async () => {
    const since = NOW - 30 * 86_400_000;
    const open = await openCheckins(t, since);
    const { n } = await one<{ n: number }>(
      `SELECT count() AS n FROM (
         SELECT subject_id, volunteer_id FROM events
         WHERE type IN ('checkin', 'checkout') AND ts >= fromUnixTimestamp64Milli(${since})
         GROUP BY subject_id, volunteer_id HAVING countIf(type = 'checkout') = 0)`,
    );
    expect(open.length).toBe(n);
    expect(open.every((c) => c.at <= NOW && /^V\d{6}$/.test(c.volunteerId) && c.volunteerName !== '')).toBe(true);
  });

  it('holds the rhythm’s weekends and hours: activities out at weekends, almost none before dawn', async () => {
    const r = await one<{ all: number; weekend: number; night: number }>(
      `SELECT uniqExact(subject_id) AS all, uniqExactIf(subject_id, toDayOfWeek(ts) >= 6) AS weekend,
              uniqExactIf(subject_id, toHour(ts) BETWEEN 1 AND 4) AS night
       FROM events WHERE type = 'checkin'`,
    );
    // 104 weekend days at 1.5 against 261 weekdays at 0.8: 43 % of the activities (28 % were the days even)
    expect(r.weekend / r.all).toBeGreaterThan(0.33);
    expect(r.weekend / r.all).toBeLessThan(0.55);
    // 01:00–04:59 holds 0.3 % of the day's activities (a whole fifth were the hours even): about 0.4 of 144
    expect(r.night).toBeLessThanOrEqual(3);
  });

  it('keeps a year of history ending at now, on known nodes and volunteers', async () => {
    const bounds = await one<{ first: number; last: number }>(
      'SELECT toUnixTimestamp64Milli(min(ts)) AS first, toUnixTimestamp64Milli(max(ts)) AS last FROM events',
    );
    expect(bounds.first).toBeGreaterThanOrEqual(NOW - YEAR_MS);
    expect(bounds.last).toBeLessThanOrEqual(NOW);
    const strays = await one<{ nodes: number; volunteers: number }>(
      `SELECT
         countIf((node_id, institute_id) NOT IN (SELECT id, ifNull(institute_id, '') FROM nodes)) AS nodes,
         countIf(volunteer_id != '' AND volunteer_id NOT IN (SELECT id FROM volunteers)) AS volunteers
       FROM events`,
    );
    expect(strays).toEqual({ nodes: 0, volunteers: 0 });
  });

  it('credits plausible hours and names the volunteers', async () => {
    const r = await one<{ activities: number; min: number; max: number; unnamed: number }>(
      `SELECT uniqExactIf(subject_id, type = 'checkin') AS activities, minIf(value, type = 'checkout') AS min,
              maxIf(value, type = 'checkout') AS max, countIf(type IN ('checkin', 'checkout') AND person_name = '') AS unnamed
       FROM events`,
    );
    expect(r).toMatchObject({ activities: 144, unnamed: 0 });
    expect(r.min).toBeGreaterThan(0.5);
    expect(r.max).toBeLessThan(5);
  });

  it('numbers each order’s transitions from 1 without gaps', async () => {
    const r = await one<{ orders: number; broken: number }>(
      `SELECT count() AS orders, countIf(arraySort(versions) != range(1, length(versions) + 1)) AS broken
       FROM (SELECT groupArray(version) AS versions FROM events WHERE type = 'order.transition' GROUP BY subject_id)`,
    );
    expect(r).toEqual({ orders: 60, broken: 0 });
  });

  it('sums reads to about 600 million a year × scale, peaking in the evening', async () => {
    const r = await one<{ reads: number; evening: number; morning: number }>(
      `SELECT sumIf(value, type = 'media.read') AS reads,
              sumIf(value, type = 'media.read' AND toHour(ts) = 21) AS evening,
              sumIf(value, type = 'media.read' AND toHour(ts) = 4) AS morning
       FROM events`,
    );
    expect(r.reads / (600_000_000 * SCALE)).toBeGreaterThan(0.75);
    expect(r.reads / (600_000_000 * SCALE)).toBeLessThan(1.25);
    expect(r.evening).toBeGreaterThan(r.morning * 5);
  });

  it('gives an activity a flagship brand or one of its own town, and every flagship activities', async () => {
    const brands = new Map(brandsOf(network).map((b) => [b.id, b]));
    const linked = await t.query<{ activity: string; brand: string; institute: string }>(
      `SELECT tag AS activity, any(actor) AS brand, any(institute_id) AS institute FROM events
       WHERE type = 'media.published' AND tag != '' GROUP BY activity`,
    );
    expect(linked.length).toBeGreaterThan(100);
    const strays = linked.filter((l) => ![l.institute, ''].includes(brands.get(l.brand)?.instituteId ?? 'none'));
    expect(strays).toEqual([]);
    const flagship = linked.filter((l) => brands.get(l.brand)?.instituteId === '');
    expect(flagship.length / linked.length).toBeGreaterThan(FLAGSHIP_SHARE / 2);
    expect(flagship.length / linked.length).toBeLessThan(FLAGSHIP_SHARE * 1.5);
    const flagships = [...brands.values()].filter((b) => b.instituteId === '').map((b) => b.id);
    expect(new Set(flagship.map((l) => l.brand))).toEqual(new Set(flagships));
  });
});
