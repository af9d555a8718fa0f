import { EventType, type PracticeEvent } from '../../shared/events.js';
import type { Transport } from './transport.js';

/** A check-in's `tag`: the phone stood within 500 m of the node, or further. */
export const NEAR_TAG = 'near';
export const FAR_TAG = 'far';

/** One row of the wide `events` table (see migrations/001_init.sql). */
export interface EventRow {
  id: string;
  type: string;
  ts: number;
  node_id: string;
  institute_id: string;
  subject_id: string;
  volunteer_id: string;
  tag: string;
  value: number;
  actor: string;
  person_name: string;
  person_phone: string;
  title: string;
  version: number;
  lat: number;
  lon: number;
}

/** Flattens a validated event onto the wide row; `instituteId` is the node's 所, denormalised for scope queries. */
export function toRow(e: PracticeEvent, instituteId: string): EventRow {
  const row: EventRow = {
    id: e.id,
    type: e.type,
    ts: e.ts,
    node_id: e.nodeId,
    institute_id: instituteId,
    subject_id: '',
    volunteer_id: '',
    tag: '',
    value: 0,
    actor: '',
    person_name: '',
    person_phone: '',
    title: '',
    version: 0,
    lat: 0,
    lon: 0,
  };
  // Fields are set on the one row object (no spreads): this runs for every ingested event.
  switch (e.type) {
    case EventType.checkin:
    case EventType.checkout:
      row.subject_id = e.activityId;
      row.volunteer_id = e.volunteerId;
      row.person_name = e.volunteerName;
      if (e.type === EventType.checkout) row.value = e.hours;
      // Whether a phone's check-in was on site; '' when it gave no position (devices, older events).
      else if (e.near !== undefined) row.tag = e.near ? NEAR_TAG : FAR_TAG;
      return row;
    case EventType.volunteerStatus:
      row.volunteer_id = e.volunteerId;
      row.tag = e.status;
      return row;
    case EventType.appealReceived:
      row.subject_id = e.appealId;
      row.tag = e.category;
      row.title = e.title;
      row.person_name = e.citizenName;
      row.person_phone = e.citizenPhone;
      row.lat = e.lat;
      row.lon = e.lon;
      return row;
    case EventType.appealAssigned:
    case EventType.appealReplied:
    case EventType.appealClosed:
      row.subject_id = e.appealId;
      row.actor = e.actor;
      return row;
    case EventType.order:
      row.subject_id = e.orderId;
      row.tag = e.to;
      row.version = e.version;
      row.actor = e.actor;
      row.volunteer_id = e.volunteerId ?? '';
      row.title = e.reason;
      return row;
    case EventType.mediaPublished:
      row.subject_id = e.articleId;
      row.title = e.title;
      row.actor = e.brandId ?? '';
      row.tag = e.activityId ?? '';
      return row;
    case EventType.mediaRead:
      row.subject_id = e.articleId;
      row.value = e.reads;
      row.version = e.shares;
      return row;
  }
}

/** Column order of the compact wire form (JSONCompactEachRow): half the bytes of keyed rows. */
export const EVENT_COLUMNS = [
  'id',
  'type',
  'ts',
  'node_id',
  'institute_id',
  'subject_id',
  'volunteer_id',
  'tag',
  'value',
  'actor',
  'person_name',
  'person_phone',
  'title',
  'version',
  'lat',
  'lon',
] as const;

/**
 * One row as a JSONCompactEachRow line. `ts` goes as a "seconds.millis" string, which
 * DateTime64(3) parses exactly (a JSON float does not parse).
 */
export function toLine(r: EventRow): string {
  return JSON.stringify([
    r.id,
    r.type,
    (r.ts / 1000).toFixed(3),
    r.node_id,
    r.institute_id,
    r.subject_id,
    r.volunteer_id,
    r.tag,
    r.value,
    r.actor,
    r.person_name,
    r.person_phone,
    r.title,
    r.version,
    r.lat,
    r.lon,
  ]);
}

/** A compact line back into its row (the write-ahead log's tail replayed at start). */
export function fromLine(line: string): EventRow {
  const f = JSON.parse(line) as (string | number)[];
  const text = (i: number) => String(f[i]);
  const num = (i: number) => Number(f[i]);
  return {
    id: text(0),
    type: text(1),
    ts: Math.round(num(2) * 1000),
    node_id: text(3),
    institute_id: text(4),
    subject_id: text(5),
    volunteer_id: text(6),
    tag: text(7),
    value: num(8),
    actor: text(9),
    person_name: text(10),
    person_phone: text(11),
    title: text(12),
    version: num(13),
    lat: num(14),
    lon: num(15),
  };
}

export function toNdjson(rows: readonly EventRow[]): Buffer {
  return Buffer.from(`${rows.map(toLine).join('\n')}\n`);
}

/** The id of a compact line (its first field) without parsing the rest. */
export function lineId(line: string): string {
  return line.slice(2, 38);
}

/** Inserts compact lines; `dedupToken` makes a retry of the same block a no-op. */
export async function insertEvents(t: Transport, ndjson: Buffer, dedupToken: string): Promise<void> {
  if (ndjson.length === 0) return;
  await t.insertJsonEachRow('events', ndjson, { dedupToken, format: 'JSONCompactEachRow', columns: EVENT_COLUMNS });
}

/** Which of these ids are already stored (used when replaying the write-ahead log). */
export async function existingIds(t: Transport, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await t.query<{ id: string }>('SELECT id FROM events WHERE id IN {ids:Array(UUID)}', { ids });
  return new Set(rows.map((r) => r.id));
}

/** Ids of recent events, to refuse re-sends without asking ClickHouse per request. */
export async function recentIds(t: Transport, sinceMs: number, limit: number): Promise<string[]> {
  const rows = await t.query<{ id: string }>(
    'SELECT id FROM events WHERE ts >= fromUnixTimestamp64Milli({since:Int64}) LIMIT {limit:UInt32}',
    { since: sinceMs, limit },
  );
  return rows.map((r) => r.id);
}
