/**
 * What a live source finds in progress when it starts: appeals received and not closed, volunteers
 * checked in and not out, the articles still being read, and the time of the newest event. The simulator carries them on, so a
 * start (or a restart) continues the county's day instead of beginning a new one.
 */
import type { Transport } from './transport.js';

/** An appeal received and not closed, with how far it got. */
export interface OpenAppeal {
  appealId: string;
  nodeId: string;
  /** Steps taken after the receipt: 0 = received only, 1 = assigned, 2 = replied. */
  steps: number;
  /** When its last step was taken (epoch ms). */
  lastAt: number;
  /** The unit it was assigned to; empty when not yet assigned. */
  unit: string;
}

/** A volunteer checked in to an activity and not yet out. */
export interface OpenCheckin {
  activityId: string;
  nodeId: string;
  volunteerId: string;
  volunteerName: string;
  at: number;
}

/** Appeals received since `since` (epoch ms) and not closed, oldest step first. */
export async function openAppeals(t: Transport, since: number): Promise<OpenAppeal[]> {
  return t.query<OpenAppeal>(
    `SELECT subject_id AS appealId,
            anyIf(node_id, type = 'appeal.received') AS nodeId,
            toUInt8(countIf(type = 'appeal.assigned') > 0) + toUInt8(countIf(type = 'appeal.replied') > 0) AS steps,
            toUnixTimestamp64Milli(max(ts)) AS lastAt,
            anyIf(actor, type = 'appeal.assigned') AS unit
     FROM events
     WHERE type IN ('appeal.received', 'appeal.assigned', 'appeal.replied', 'appeal.closed')
       AND ts >= fromUnixTimestamp64Milli({since:Int64})
     GROUP BY subject_id
     HAVING countIf(type = 'appeal.received') > 0 AND countIf(type = 'appeal.closed') = 0
     ORDER BY lastAt`,
    { since },
  );
}

/** Check-ins since `since` (epoch ms) with no check-out of the same volunteer from the same activity. */
export async function openCheckins(t: Transport, since: number): Promise<OpenCheckin[]> {
  return t.query<OpenCheckin>(
    `SELECT subject_id AS activityId, anyIf(node_id, type = 'checkin') AS nodeId, volunteer_id AS volunteerId,
            anyIf(person_name, type = 'checkin') AS volunteerName,
            toUnixTimestamp64Milli(minIf(ts, type = 'checkin')) AS at
     FROM events
     WHERE type IN ('checkin', 'checkout') AND ts >= fromUnixTimestamp64Milli({since:Int64})
     GROUP BY subject_id, volunteer_id
     HAVING countIf(type = 'checkin') > 0 AND countIf(type = 'checkout') = 0
     ORDER BY activityId, at`,
    { since },
  );
}

/** Articles published since `since` (epoch ms), newest last: what readers are still reading. */
export async function recentArticles(t: Transport, since: number): Promise<{ id: string; nodeId: string }[]> {
  return t
    .query<{ id: string; nodeId: string }>(
      `SELECT subject_id AS id, node_id AS nodeId FROM events
     WHERE type = 'media.published' AND ts >= fromUnixTimestamp64Milli({since:Int64})
     ORDER BY ts DESC LIMIT 100`,
      { since },
    )
    .then((rows) => rows.reverse());
}

/** The newest event's time (epoch ms) no later than `now`; null for an empty store. */
export async function latestEventAt(t: Transport, now: number): Promise<number | null> {
  const [row] = await t.query<{ at: number; n: number }>(
    `SELECT toUnixTimestamp64Milli(max(ts)) AS at, count() AS n FROM events
     WHERE ts <= fromUnixTimestamp64Milli({now:Int64}) AND ts >= fromUnixTimestamp64Milli({now:Int64}) - INTERVAL 30 DAY`,
    { now },
  );
  return row && row.n > 0 ? row.at : null;
}
