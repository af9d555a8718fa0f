/**
 * SQL of the public pages: a node's figures this month (counts only, nobody named), what its
 * volunteers offer, citizens' orders (category, window, note, phone, rating: migration 009) and the
 * tracking tokens, kept as SHA-256 hashes only. Parameters are always bound.
 */
import type { Transport } from './transport.js';
import { ZONE } from './zone.js';

/** DateTime64(3) as JSONEachRow reads it: seconds with milliseconds. */
const seconds = (ms: number): string => (ms / 1000).toFixed(3);

export interface MonthFiguresRow {
  checkins: number;
  serviceHours: number;
  ordersCompleted: number;
  appealsClosed: number;
  activities: number;
}

/** The county's month holding `now` so far, summed over `nodeIds` (a node and the nodes under it). */
export async function monthFigures(t: Transport, nodeIds: readonly string[], now: number): Promise<MonthFiguresRow> {
  const month = `toStartOfMonth(toDate(fromUnixTimestamp64Milli({now:Int64}), {tz:String}))`;
  const bound = { now, nodes: nodeIds, ...ZONE };
  const [sums, activities] = await Promise.all([
    t.query<Omit<MonthFiguresRow, 'activities'>>(
      `SELECT toFloat64(sumIf(events, type = 'checkin')) AS checkins,
              sumIf(value, type = 'checkout') AS serviceHours,
              toFloat64(sumIf(events, type = 'order.transition' AND tag = 'completed')) AS ordersCompleted,
              toFloat64(sumIf(events, type = 'appeal.closed')) AS appealsClosed
       FROM events_month
       WHERE type IN ('checkin', 'checkout', 'order.transition', 'appeal.closed')
         AND month = ${month} AND node_id IN {nodes:Array(String)}`,
      bound,
    ),
    t.query<{ activities: number }>(
      `SELECT toFloat64(uniqExactMerge(activities)) AS activities FROM activity_month
       WHERE month = ${month} AND node_id IN {nodes:Array(String)}`,
      bound,
    ),
  ]);
  const s = sums[0];
  return {
    checkins: s?.checkins ?? 0,
    serviceHours: s?.serviceHours ?? 0,
    ordersCompleted: s?.ordersCompleted ?? 0,
    appealsClosed: s?.appealsClosed ?? 0,
    activities: activities[0]?.activities ?? 0,
  };
}

/** Skills of the volunteers registered at these 站, most common first. */
export async function offeredSkills(t: Transport, stationIds: readonly string[]): Promise<string[]> {
  if (stationIds.length === 0) return [];
  const rows = await t.query<{ skill: string }>(
    `SELECT skill FROM (SELECT arrayJoin(skills) AS skill FROM volunteers FINAL WHERE station_id IN {ids:Array(String)})
     GROUP BY skill ORDER BY count() DESC, skill`,
    { ids: stationIds },
  );
  return rows.map((r) => r.skill);
}

export interface CitizenOrderRow {
  order_id: string;
  node_id: string;
  category: string;
  window_from: number;
  window_to: number;
  note: string;
  phone: string;
  created_at: number;
  score: number;
  comment: string;
  rate_command_id: string;
}

/** Writes (or rewrites, with a higher version: a rating) the citizen's side of an order. */
export async function saveCitizenOrder(t: Transport, row: CitizenOrderRow, version: number): Promise<void> {
  const line = JSON.stringify({
    ...row,
    window_from: seconds(row.window_from),
    window_to: seconds(row.window_to),
    created_at: seconds(row.created_at),
    ver: version,
  });
  await t.insertJsonEachRow('citizen_orders', Buffer.from(`${line}\n`));
}

export async function citizenOrder(t: Transport, orderId: string): Promise<CitizenOrderRow | null> {
  const rows = await t.query<CitizenOrderRow>(
    `SELECT order_id, node_id, category, toUnixTimestamp64Milli(window_from) AS window_from,
            toUnixTimestamp64Milli(window_to) AS window_to, note, phone,
            toUnixTimestamp64Milli(created_at) AS created_at, score, comment, rate_command_id
     FROM citizen_orders FINAL WHERE order_id = {id:String} LIMIT 1`,
    { id: orderId },
  );
  return rows[0] ?? null;
}

export async function saveTrackToken(t: Transport, tokenHash: string, orderId: string, at: number): Promise<void> {
  const line = JSON.stringify({ token_hash: tokenHash, order_id: orderId, created_at: seconds(at) });
  await t.insertJsonEachRow('track_tokens', Buffer.from(`${line}\n`));
}

/** The order a token's hash names, with the hash as stored (for a constant-time comparison). */
export async function tokenOrder(t: Transport, tokenHash: string): Promise<{ hash: string; orderId: string } | null> {
  const rows = await t.query<{ hash: string; orderId: string }>(
    'SELECT token_hash AS hash, order_id AS orderId FROM track_tokens WHERE token_hash = {h:String} LIMIT 1',
    { h: tokenHash },
  );
  return rows[0] ?? null;
}
