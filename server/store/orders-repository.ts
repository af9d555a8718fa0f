/**
 * SQL of the dispatch console: the open orders rebuilt from their `order.transition` events (the
 * latest version wins), their histories, recent volunteer statuses, the volunteer registry near an
 * order, and the audit trail. Parameters are always bound.
 */
import type { AuditEntry } from '../../shared/dispatch.js';
import { APP_VOLUNTEER_PREFIX } from '../../shared/volunteer.js';
import type { Transport } from './transport.js';

export interface OpenOrderRow {
  id: string;
  state: string;
  version: number;
  title: string;
  venue_id: string;
  institute_id: string;
  last_node: string;
  assignee: string;
  created_at: number;
  state_entered_at: number;
}

const CLOSED = ['completed', 'rated', 'rejected', 'cancelled', 'expired'];

/** Orders whose latest transition (since `sinceMs`) leaves them open. */
export async function openOrders(t: Transport, sinceMs: number): Promise<OpenOrderRow[]> {
  return t.query<OpenOrderRow>(
    `SELECT subject_id AS id, argMax(tag, version) AS state, max(version) AS version,
            argMin(title, version) AS title, argMin(node_id, version) AS venue_id,
            argMax(institute_id, version) AS institute_id, argMax(node_id, version) AS last_node,
            argMax(volunteer_id, version) AS assignee,
            toUnixTimestamp64Milli(min(ts)) AS created_at, toUnixTimestamp64Milli(argMax(ts, version)) AS state_entered_at
     FROM events
     WHERE type = 'order.transition' AND ts >= fromUnixTimestamp64Milli({since:Int64})
     GROUP BY subject_id
     HAVING argMax(tag, version) NOT IN {closed:Array(String)}
     SETTINGS prefer_column_name_to_alias = 1`,
    { since: sinceMs, closed: CLOSED },
  );
}

export interface TransitionRow {
  id: string;
  order_id: string;
  version: number;
  state: string;
  at: number;
  actor: string;
  assignee: string;
  reason: string;
}

/** Every transition of these orders, oldest first (one row per version, duplicates collapsed). */
export async function transitionsOf(t: Transport, orderIds: readonly string[]): Promise<TransitionRow[]> {
  if (orderIds.length === 0) return [];
  return t.query<TransitionRow>(
    `SELECT any(toString(id)) AS id, subject_id AS order_id, version, any(tag) AS state,
            toUnixTimestamp64Milli(any(ts)) AS at, any(actor) AS actor, any(volunteer_id) AS assignee, any(title) AS reason
     FROM events
     WHERE type = 'order.transition' AND subject_id IN {ids:Array(String)}
     GROUP BY subject_id, version
     ORDER BY subject_id, version
     SETTINGS prefer_column_name_to_alias = 1`,
    { ids: orderIds },
  );
}

/** Ids of recent transitions: a command retried across a restart is recognised by its derived event id. */
export async function recentTransitionIds(t: Transport, sinceMs: number): Promise<string[]> {
  const rows = await t.query<{ id: string }>(
    `SELECT toString(id) AS id FROM events
     WHERE type = 'order.transition' AND ts >= fromUnixTimestamp64Milli({since:Int64})`,
    { since: sinceMs },
  );
  return rows.map((r) => r.id);
}

/** Each volunteer's latest reported status since `sinceMs`. */
export async function latestStatuses(t: Transport, sinceMs: number): Promise<{ id: string; status: string }[]> {
  return t.query(
    `SELECT volunteer_id AS id, argMax(tag, ts) AS status FROM events
     WHERE type = 'volunteer.status' AND ts >= fromUnixTimestamp64Milli({since:Int64})
     GROUP BY volunteer_id`,
    { since: sinceMs },
  );
}

export interface VolunteerRow {
  id: string;
  name: string;
  team_id: string;
  institute_id: string;
  station_id: string;
  skills: string[];
}

const VOLUNTEER_COLUMNS = 'id, name, team_id, institute_id, station_id, skills';

export async function volunteersByIds(t: Transport, ids: readonly string[]): Promise<VolunteerRow[]> {
  if (ids.length === 0) return [];
  return t.query<VolunteerRow>(`SELECT ${VOLUNTEER_COLUMNS} FROM volunteers FINAL WHERE id IN {ids:Array(String)}`, {
    ids,
  });
}

/**
 * Up to `perStation` volunteers of each of these stations: the candidates near an order. Those with
 * the phone app come first: by id alone a station of a thousand seeded volunteers never reached them.
 */
export async function volunteersAt(
  t: Transport,
  stationIds: readonly string[],
  perStation: number,
): Promise<VolunteerRow[]> {
  if (stationIds.length === 0) return [];
  return t.query<VolunteerRow>(
    `SELECT ${VOLUNTEER_COLUMNS} FROM volunteers FINAL WHERE station_id IN {ids:Array(String)}
     ORDER BY station_id, startsWith(id, {app:String}) DESC, id LIMIT {n:UInt32} BY station_id`,
    { ids: stationIds, n: perStation, app: APP_VOLUNTEER_PREFIX },
  );
}

/** Does a team with this id have members (teams are the registry's `team_id` values)? */
export async function teamExists(t: Transport, teamId: string): Promise<boolean> {
  const rows = await t.query<{ n: number }>('SELECT count() AS n FROM volunteers WHERE team_id = {id:String}', {
    id: teamId,
  });
  return (rows[0]?.n ?? 0) > 0;
}

const AUDIT_COLUMNS = [
  'seq',
  'at',
  'actor_id',
  'actor_name',
  'actor_role',
  'action',
  'command_id',
  'order_id',
  'institute_id',
  'assignees',
  'before_state',
  'before_version',
  'after_state',
  'after_version',
  'result',
  'code',
  'message',
] as const;

export type AuditRecord = AuditEntry & { instituteId: string };

/** Appends audit records; `dedupToken` makes a retried block a no-op. */
export async function insertAudit(t: Transport, records: readonly AuditRecord[], dedupToken: string): Promise<void> {
  if (records.length === 0) return;
  const lines = records.map((r) =>
    JSON.stringify([
      r.seq,
      (r.at / 1000).toFixed(3),
      r.actorId,
      r.actorName,
      r.actorRole,
      r.action,
      r.commandId,
      r.orderId,
      r.instituteId,
      r.assignees,
      r.beforeState,
      r.beforeVersion,
      r.afterState,
      r.afterVersion,
      r.result,
      r.code,
      r.message,
    ]),
  );
  await t.insertJsonEachRow('dispatch_audit', Buffer.from(`${lines.join('\n')}\n`), {
    dedupToken,
    format: 'JSONCompactEachRow',
    columns: AUDIT_COLUMNS,
  });
}

const AUDIT_SELECT = `SELECT seq, toUnixTimestamp64Milli(at) AS at, actor_id AS actorId, actor_name AS actorName,
  actor_role AS actorRole, action, command_id AS commandId, order_id AS orderId, assignees,
  before_state AS beforeState, before_version AS beforeVersion, after_state AS afterState,
  after_version AS afterVersion, result, code, message FROM dispatch_audit FINAL`;

export async function auditOfOrder(t: Transport, orderId: string, limit: number): Promise<AuditEntry[]> {
  return t.query<AuditEntry>(`${AUDIT_SELECT} WHERE order_id = {id:String} ORDER BY seq LIMIT {limit:UInt32}`, {
    id: orderId,
    limit,
  });
}

export async function auditOfVolunteer(t: Transport, volunteerId: string, limit: number): Promise<AuditEntry[]> {
  return t.query<AuditEntry>(
    `${AUDIT_SELECT} WHERE has(assignees, {id:String}) ORDER BY seq DESC LIMIT {limit:UInt32}`,
    { id: volunteerId, limit },
  );
}
