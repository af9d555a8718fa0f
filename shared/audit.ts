/**
 * Reading the security audit trail (`GET /api/v1/audit`, admin only): the filters, one page of
 * records newest first, and the pure match every record is put through.
 */
import { Type, type Static } from 'typebox';
import { AuditRecordSchema, type AuditRecord } from './auth.js';

/** An instant as ISO 8601 with a zone (`2026-12-06T20:30:00.000Z`), as the trail's `ts` is written. */
const Instant = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2})$',
});

export const AUDIT_PAGE_DEFAULT = 100;

/** Query string: every filter optional; numbers as the digits a URL carries. */
export const AuditQuerySchema = Type.Object({
  /** One action exactly, e.g. `auth.login_failed`. */
  action: Type.Optional(Type.String({ pattern: '^[a-z_]{1,20}\\.[a-z_]{1,30}$' })),
  /** Part of the actor (username or token id), any case. */
  actor: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  result: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('refused')])),
  /** From this instant, inclusive. */
  from: Type.Optional(Instant),
  /** Up to this instant, exclusive. */
  to: Type.Optional(Instant),
  limit: Type.Optional(Type.String({ pattern: '^(1000|[1-9][0-9]{0,2})$' })),
  /** Records to skip (newest first): the page's start. */
  offset: Type.Optional(Type.String({ pattern: '^(0|[1-9][0-9]{0,5})$' })),
});
export type AuditQuery = Static<typeof AuditQuerySchema>;

export const AuditPageSchema = Type.Object({
  entries: Type.Array(AuditRecordSchema),
  /** Whether older records match past this page. */
  more: Type.Boolean(),
  /**
   * Only the answering node's own acts, from its file: the shared trail (ClickHouse) could not be
   * read, so the other nodes' acts are missing (the page says so).
   */
  nodeOnly: Type.Boolean(),
  /** Every action the server records, for the filter's choices. */
  actions: Type.Array(Type.String()),
});
export type AuditPage = Static<typeof AuditPageSchema>;

export type AuditFilter = Pick<AuditQuery, 'action' | 'actor' | 'result' | 'from' | 'to'>;

/** Does this record pass every filter given? */
export function matchesAudit(record: AuditRecord, filter: AuditFilter): boolean {
  if (filter.action !== undefined && record.action !== filter.action) return false;
  if (filter.result !== undefined && record.result !== filter.result) return false;
  if (filter.actor !== undefined && !record.actor.toLowerCase().includes(filter.actor.toLowerCase())) return false;
  const at = Date.parse(record.ts);
  if (filter.from !== undefined && !(at >= Date.parse(filter.from))) return false;
  if (filter.to !== undefined && !(at < Date.parse(filter.to))) return false;
  return true;
}
