/**
 * The report archive (migration 012): every generation a row, never changed, with the PDF (base64),
 * its digest, the weights version and the figures it printed.
 */
import type { ReportSummary } from '../../shared/report.js';
import type { Transport } from './transport.js';

export interface ArchivedReport extends ReportSummary {
  /** The figures' JSON (shared/report.ts ReportData). */
  figures: string;
  pdf: Buffer;
}

const SUMMARY = `id, period, toString(period_start) AS start, scope, weights_version AS weightsVersion, bytes, sha256,
  generated_by AS generatedBy, toUnixTimestamp64Milli(generated_at) AS generatedAt`;

export async function insertReport(t: Transport, r: ArchivedReport): Promise<void> {
  const row = {
    id: r.id,
    period: r.period,
    period_start: r.start,
    scope: r.scope,
    weights_version: r.weightsVersion,
    figures: r.figures,
    pdf: r.pdf.toString('base64'),
    sha256: r.sha256,
    bytes: r.bytes,
    generated_by: r.generatedBy,
    generated_at: (r.generatedAt / 1000).toFixed(3),
  };
  await t.insertJsonEachRow('evaluation_reports', Buffer.from(`${JSON.stringify(row)}\n`));
}

/** Every archived report, newest period first, then newest generation. */
export function listReports(t: Transport, limit: number): Promise<ReportSummary[]> {
  return t.query<ReportSummary>(
    `SELECT ${SUMMARY} FROM evaluation_reports ORDER BY period_start DESC, period, scope, generated_at DESC LIMIT {limit:UInt32}`,
    { limit },
  );
}

/** The (period, start, scope) keys archived already: the scheduler makes only the missing ones. */
export async function archivedKeys(t: Transport): Promise<Set<string>> {
  const rows = await t.query<{ key: string }>(
    `SELECT DISTINCT concat(period, '-', toString(period_start), '-', scope) AS key FROM evaluation_reports`,
  );
  return new Set(rows.map((r) => r.key));
}

export async function findReport(t: Transport, id: string): Promise<ArchivedReport | null> {
  const rows = await t.query<ReportSummary & { figures: string; pdf: string }>(
    `SELECT ${SUMMARY}, figures, pdf FROM evaluation_reports WHERE id = {id:String} LIMIT 1`,
    { id },
  );
  const row = rows[0];
  return row ? { ...row, pdf: Buffer.from(row.pdf, 'base64') } : null;
}

/** The first month the store has events of (YYYY-MM-DD), or null when it has none. */
export async function firstDataMonth(t: Transport): Promise<string | null> {
  const rows = await t.query<{ month: string; n: number }>(
    `SELECT toString(min(month)) AS month, count() AS n FROM events_month`,
  );
  const row = rows[0];
  return row && row.n > 0 ? row.month : null;
}
