/**
 * The one read of the store behind the server's live figures (live/figures.ts), at start: today's
 * presence per site and volunteer and its activities, already aggregated; the last day's check-ins,
 * the last week's appeals received and closings, the last 48 h of order transitions, and every
 * article (89 k at 100 M events: articles are few beside their reads). Over 100 M events about
 * 340 k rows; after this read the figures follow accepted events alone. The rows are answered, not applied: live/figures.ts keeps them (the store knows no feature).
 */
import { EXPIRE_AFTER_MS } from '../../shared/order-sla.js';
import { WINDOW_MS } from '../../shared/queries/window.js';
import { localDay, UTC_OFFSET_MS } from '../../shared/time-zone.js';
import type { Transport } from './transport.js';
import { ZONE } from './zone.js';

const DAY_MS = 86_400_000;

/** Appeals older than this are history, not open demand, however they ended (nodes.status). */
export const APPEAL_LOOKBACK_MS = 7 * 24 * 3_600_000;

/** The columns of an event row the live figures read (EventRow has them all). */
export interface FigureRow {
  id: string;
  type: string;
  ts: number;
  node_id: string;
  subject_id: string;
  volunteer_id: string;
  tag: string;
  version: number;
  /** A publication's brand and title; only the log's tail (full rows) carries them, the start reads `articles`. */
  actor?: string;
  title?: string;
}

/** A volunteer's latest check-in and check-out of one day at one site (epoch ms; 0 = none). */
export interface PresenceRow {
  day: number;
  node_id: string;
  volunteer_id: string;
  checked_in: number;
  checked_out: number;
}

/** An article as the `articles` table keeps it (migration 005), its publication in epoch ms. */
export interface ArticleRow {
  id: string;
  brand: string;
  activity: string;
  title: string;
  node_id: string;
  published: number;
}

export interface LiveFiguresRead {
  presence: PresenceRow[];
  activities: { day: number; node_id: string; activity: string }[];
  /** Check-ins, appeals received and order transitions of their windows. */
  rows: FigureRow[];
  /** Each appeal's latest closing in the week. */
  closings: { subject_id: string; closed_at: number }[];
  /** Every article, its latest publication (live/articles.ts), oldest first. */
  articles: ArticleRow[];
}

export async function readLiveFigures(t: Transport, nowMs: number): Promise<LiveFiguresRead> {
  const midnight = localDay(nowMs) * DAY_MS - UTC_OFFSET_MS;
  const bound = {
    now: nowMs,
    midnight,
    checkinsFrom: Math.min(midnight, nowMs - WINDOW_MS['24h'] - 60_000),
    appealsFrom: nowMs - APPEAL_LOOKBACK_MS,
    ordersFrom: nowMs - EXPIRE_AFTER_MS,
    ...ZONE,
  };
  // One statement at a time: chdb answers one at a time anyway, and the rows of each are let go
  // before the next arrives.
  const presence = await t.query<Omit<PresenceRow, 'day'>>(
    `SELECT node_id, volunteer_id,
            toInt64(toUnixTimestamp64Milli(maxIf(ts, type = 'checkin'))) AS checked_in,
            toInt64(toUnixTimestamp64Milli(maxIf(ts, type = 'checkout'))) AS checked_out
     FROM events WHERE type IN ('checkin', 'checkout') AND ts >= fromUnixTimestamp64Milli({midnight:Int64})
       AND toDate(ts) = toDate(fromUnixTimestamp64Milli({now:Int64}), {tz:String})
     GROUP BY node_id, volunteer_id`,
    bound,
  );
  const activities = await t.query<{ node_id: string; activity: string }>(
    `SELECT DISTINCT node_id, subject_id AS activity FROM events
     WHERE type = 'checkin' AND toDate(ts) = toDate(fromUnixTimestamp64Milli({now:Int64}), {tz:String})`,
    bound,
  );
  const day = localDay(nowMs);
  // Aliases differ from column names: ClickHouse would let an alias shadow its column in WHERE.
  const rows = async (sql: string): Promise<FigureRow[]> =>
    (
      await t.query<Omit<FigureRow, 'id' | 'ts'> & { event_id: string; ts_ms: number }>(
        `SELECT toString(id) AS event_id, type, toInt64(toUnixTimestamp64Milli(ts)) AS ts_ms, node_id, subject_id,
                volunteer_id, tag, version
         FROM events WHERE ${sql}`,
        bound,
      )
    ).map(({ event_id, ts_ms, ...rest }) => ({ ...rest, id: event_id, ts: ts_ms }));
  const checkins = await rows(`type = 'checkin' AND ts >= fromUnixTimestamp64Milli({checkinsFrom:Int64})`);
  const appeals = await rows(`type = 'appeal.received' AND ts >= fromUnixTimestamp64Milli({appealsFrom:Int64})`);
  const orders = await rows(`type = 'order.transition' AND ts >= fromUnixTimestamp64Milli({ordersFrom:Int64})`);
  const closings = await t.query<{ subject_id: string; closed_at: number }>(
    `SELECT subject_id, toInt64(toUnixTimestamp64Milli(max(ts))) AS closed_at FROM events
     WHERE type = 'appeal.closed' AND ts >= fromUnixTimestamp64Milli({appealsFrom:Int64})
     GROUP BY subject_id`,
    bound,
  );
  const articles = await t.query<ArticleRow>(
    `SELECT id, brand, activity, title, node_id, toInt64(toUnixTimestamp64Milli(published)) AS published
     FROM articles FINAL ORDER BY published`,
  );
  return {
    presence: presence.map((p) => ({ ...p, day })),
    activities: activities.map((a) => ({ ...a, day })),
    rows: [...checkins, ...appeals, ...orders],
    closings,
    articles,
  };
}
