/**
 * A volunteer's own record, read from the events: hours by month from their check-outs, the orders
 * they completed, and the ratings those orders got (the score from citizen_orders, migration 009,
 * where the rating came from the public page). Months are the county's (ZONE); a re-sent event is
 * counted once (grouped by its id: the table collapses duplicates only when it merges).
 */
import type { Transport } from './transport.js';
import { ZONE } from './zone.js';

export async function hoursByMonth(
  t: Transport,
  volunteerId: string,
  sinceMs: number,
): Promise<{ yyyymm: number; hours: number }[]> {
  return t.query(
    `SELECT toYYYYMM(at, {tz:String}) AS yyyymm, sum(credited) AS hours
     FROM (SELECT id, any(ts) AS at, any(value) AS credited FROM events
           WHERE type = 'checkout' AND volunteer_id = {id:String} AND ts >= fromUnixTimestamp64Milli({since:Int64})
           GROUP BY id)
     GROUP BY yyyymm ORDER BY yyyymm`,
    { ...ZONE, id: volunteerId, since: sinceMs },
  );
}

/** This month on the county's clock, as yyyyMM. */
export async function currentMonth(t: Transport, nowMs: number): Promise<number> {
  const [row] = await t.query<{ yyyymm: number }>(
    'SELECT toYYYYMM(fromUnixTimestamp64Milli({now:Int64}), {tz:String}) AS yyyymm',
    { ...ZONE, now: nowMs },
  );
  return row?.yyyymm ?? 0;
}

export async function ordersCompleted(t: Transport, volunteerId: string): Promise<number> {
  const [row] = await t.query<{ n: number }>(
    `SELECT uniqExact(subject_id) AS n FROM events
     WHERE type = 'order.transition' AND tag = 'completed' AND volunteer_id = {id:String}`,
    { id: volunteerId },
  );
  return row?.n ?? 0;
}

/** The ratings of the orders the volunteer completed, newest first: when, and the score (0 when not kept). */
export async function ratingsReceived(
  t: Transport,
  volunteerId: string,
): Promise<{ orderId: string; at: number; score: number }[]> {
  return t.query(
    `SELECT r.order_id AS orderId, toUnixTimestamp64Milli(r.at) AS at, c.score AS score
     FROM (SELECT subject_id AS order_id, min(ts) AS at FROM events
           WHERE type = 'order.transition' AND tag = 'rated' AND subject_id IN
             (SELECT subject_id FROM events
              WHERE type = 'order.transition' AND tag = 'completed' AND volunteer_id = {id:String})
           GROUP BY subject_id) AS r
     LEFT JOIN (SELECT order_id, score FROM citizen_orders FINAL) AS c ON c.order_id = r.order_id
     ORDER BY at DESC`,
    { id: volunteerId },
  );
}
