/**
 * SQL of activities and sign-ups (migrations/011_activities.sql) and of the check-ins that belong
 * to them. Every change is a new row with a higher version; reads take FINAL.
 */
import type { Activity, ActivityStatus } from '../../shared/activities.js';
import type { Transport } from './transport.js';

/** DateTime64(3) parses "seconds.millis" exactly (a JSON float does not). */
const instant = (ms: number): string => (ms / 1000).toFixed(3);

export interface ActivityRecord extends Activity {
  createdBy: string;
  version: number;
}

export async function saveActivity(t: Transport, a: ActivityRecord): Promise<void> {
  const row = {
    id: a.id,
    title: a.title,
    category: a.category,
    node_id: a.nodeId,
    institute_id: a.instituteId,
    starts_at: instant(a.startsAt),
    ends_at: instant(a.endsAt),
    capacity: a.capacity,
    brand_id: a.brandId,
    status: a.status,
    created_by: a.createdBy,
    version: a.version,
  };
  await t.insertJsonEachRow('activities', Buffer.from(`${JSON.stringify(row)}\n`));
}

export interface SignupRecord {
  activityId: string;
  volunteerId: string;
  volunteerName: string;
  signedUpAt: number;
  withdrawn: boolean;
  version: number;
}

export async function saveSignup(t: Transport, s: SignupRecord): Promise<void> {
  const row = {
    activity_id: s.activityId,
    volunteer_id: s.volunteerId,
    volunteer_name: s.volunteerName,
    signed_up_at: instant(s.signedUpAt),
    withdrawn: s.withdrawn ? 1 : 0,
    version: s.version,
  };
  await t.insertJsonEachRow('activity_signups', Buffer.from(`${JSON.stringify(row)}\n`));
}

/** Activities that end after `since` (epoch ms): the ones still open to sign-ups or check-outs. */
export async function activitiesEndingAfter(t: Transport, since: number): Promise<ActivityRecord[]> {
  const rows = await t.query<Omit<ActivityRecord, 'status'> & { status: string }>(
    `SELECT id, title, category, node_id AS nodeId, institute_id AS instituteId,
            toUnixTimestamp64Milli(starts_at) AS startsAt, toUnixTimestamp64Milli(ends_at) AS endsAt,
            capacity, brand_id AS brandId, status, created_by AS createdBy, version
     FROM activities FINAL WHERE ends_at > fromUnixTimestamp64Milli({since:Int64})`,
    { since },
  );
  return rows.map((r) => ({ ...r, status: r.status as ActivityStatus }));
}

/** Sign-ups standing (not withdrawn) on these activities. */
export async function signupsOf(t: Transport, activityIds: readonly string[]): Promise<SignupRecord[]> {
  if (activityIds.length === 0) return [];
  const rows = await t.query<Omit<SignupRecord, 'withdrawn'> & { withdrawn: number }>(
    `SELECT activity_id AS activityId, volunteer_id AS volunteerId, volunteer_name AS volunteerName,
            toUnixTimestamp64Milli(signed_up_at) AS signedUpAt, withdrawn, version
     FROM activity_signups FINAL WHERE activity_id IN {ids:Array(String)} AND withdrawn = 0`,
    { ids: activityIds },
  );
  return rows.map((r) => ({ ...r, withdrawn: r.withdrawn === 1 }));
}

export interface AttendanceRow {
  id: string;
  type: 'checkin' | 'checkout';
  activityId: string;
  volunteerId: string;
  ts: number;
  hours: number;
}

/** The check-ins and check-outs of these activities since `since`, oldest first. */
export async function attendanceOf(
  t: Transport,
  activityIds: readonly string[],
  since: number,
): Promise<AttendanceRow[]> {
  if (activityIds.length === 0) return [];
  // Aliases differ from the columns: ClickHouse would read an alias `ts` in WHERE as the alias.
  const rows = await t.query<Omit<AttendanceRow, 'id' | 'ts'> & { event: string; at: number }>(
    `SELECT toString(id) AS event, type, subject_id AS activityId, volunteer_id AS volunteerId,
            toUnixTimestamp64Milli(ts) AS at, value AS hours
     FROM events
     WHERE type IN ('checkin', 'checkout') AND ts >= fromUnixTimestamp64Milli({since:Int64})
       AND subject_id IN {ids:Array(String)}
     ORDER BY at`,
    { ids: activityIds, since },
  );
  return rows.map(({ event, at, ...r }) => ({ ...r, id: event, ts: at }));
}

/** The brands articles name: id and the 【…】 their titles start with (the media platform's brand name). */
export async function brandNames(t: Transport): Promise<{ id: string; name: string }[]> {
  return t.query<{ id: string; name: string }>(
    `SELECT brand AS id, extract(any(title), '^【([^】]+)】') AS name FROM articles FINAL
     WHERE brand != '' GROUP BY brand ORDER BY brand`,
  );
}
