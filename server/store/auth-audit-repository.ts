/**
 * SQL of the auth audit trail (migrations/015_auth_audit.sql): every node's acts in one table. Rows
 * are keyed by the id their node gave them, and read with FINAL, so a block written twice shows
 * each act once.
 */
import type { AuditFilter } from '../../shared/audit.js';
import type { AuditRecord } from '../../shared/auth.js';
import type { Params, Transport } from './transport.js';

/** One act as its node journals it (auth/audit.ts) and writes it here. */
export interface StoredAuditAct extends AuditRecord {
  /** `<node>:<boot>:<n>`: unique across nodes and restarts. */
  id: string;
  node: string;
}

const COLUMNS = ['id', 'at', 'node', 'action', 'actor', 'result', 'ip', 'subject'] as const;

export async function insertAuthAudit(
  t: Transport,
  acts: readonly StoredAuditAct[],
  dedupToken: string,
): Promise<void> {
  if (acts.length === 0) return;
  const lines = acts.map((a) =>
    JSON.stringify([
      a.id,
      (Date.parse(a.ts) / 1000).toFixed(3),
      a.node,
      a.action,
      a.actor,
      a.result,
      a.ip ?? '',
      a.subject ?? '',
    ]),
  );
  await t.insertJsonEachRow('auth_audit', Buffer.from(`${lines.join('\n')}\n`), {
    dedupToken,
    format: 'JSONCompactEachRow',
    columns: COLUMNS,
  });
}

interface Row {
  atMs: number;
  action: string;
  actor: string;
  result: string;
  ip: string;
  subject: string;
}

/**
 * One page of the acts passing `filter`, newest first (the filters of shared/audit.ts' matchesAudit:
 * the action and result exactly, part of the actor in any case, from inclusive, to exclusive):
 * `offset` skipped, up to `limit`, and whether more match.
 */
export async function pageAuthAudit(
  t: Transport,
  filter: AuditFilter,
  offset: number,
  limit: number,
): Promise<{ entries: AuditRecord[]; more: boolean }> {
  const where: string[] = [];
  const params: Params = { offset, take: limit + 1 };
  if (filter.action !== undefined) {
    where.push('action = {action:String}');
    params['action'] = filter.action;
  }
  if (filter.result !== undefined) {
    where.push('result = {result:String}');
    params['result'] = filter.result;
  }
  if (filter.actor !== undefined) {
    where.push('positionCaseInsensitiveUTF8(actor, {actor:String}) > 0');
    params['actor'] = filter.actor;
  }
  if (filter.from !== undefined) {
    where.push('at >= fromUnixTimestamp64Milli({from:Int64})');
    params['from'] = Date.parse(filter.from);
  }
  if (filter.to !== undefined) {
    where.push('at < fromUnixTimestamp64Milli({to:Int64})');
    params['to'] = Date.parse(filter.to);
  }
  // One row past the page tells whether there is a next one. The instant is not aliased `at`: an
  // alias is seen by WHERE, which would then compare milliseconds with the column's filters.
  const rows = await t.query<Row>(
    `SELECT toUnixTimestamp64Milli(at) AS atMs, action, actor, result, ip, subject
     FROM auth_audit FINAL
     ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY at DESC, id DESC
     LIMIT {take:UInt32} OFFSET {offset:UInt32}`,
    params,
  );
  const entries = rows.slice(0, limit).map((r): AuditRecord => ({
    ts: new Date(r.atMs).toISOString(),
    action: r.action,
    actor: r.actor,
    result: r.result === 'ok' ? 'ok' : 'refused',
    ...(r.ip === '' ? {} : { ip: r.ip }),
    ...(r.subject === '' ? {} : { subject: r.subject }),
  }));
  return { entries, more: rows.length > limit };
}
