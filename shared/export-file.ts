/**
 * Exports (issue 17.3): which named queries a panel's ranking or table can be taken out of the
 * room as, in which formats, the URL that asks for one, and how files are named. Free of schemas,
 * so the wall's bundle can import it without pulling in TypeBox (the route's query-string schema
 * is shared/exports.ts).
 */
import type { QueryName } from './queries/index.js';
import { UTC_OFFSET_MS } from './time-zone.js';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * The queries whose answer a panel shows as a ranking or a table (a trend's series is a table of
 * buckets too). Left out: `heat` and `coverage`, points and cells for the map to draw, which a
 * sheet would only list as coordinates.
 */
export const EXPORT_QUERIES = [
  'evaluation',
  'brands.ranking',
  'orders.closure',
  'appeals.categories',
  'dispatch.summary',
  'media.propagation',
  'kpi.compare',
  'trend',
  'nodes.status',
] as const satisfies readonly QueryName[];
export type ExportQuery = (typeof EXPORT_QUERIES)[number];
export const isExportQuery = (query: string): query is ExportQuery =>
  (EXPORT_QUERIES as readonly string[]).includes(query);

export const EXPORT_LANGS = ['zh-CN', 'en'] as const;
export type ExportLang = (typeof EXPORT_LANGS)[number];

/** What an export names besides the query's own parameters (none of which is spelled like these). */
export interface ExportOptions {
  /** A node id (a town, a station); absent = the caller's own scope. */
  scope?: string;
  lang?: ExportLang;
  /** The panel's title as the wall shows it; absent = the query's own name. */
  title?: string;
}

/** `GET /api/v1/exports/<query>.<format>?<the query's parameters>&scope=…&lang=…&title=…` */
export function exportUrl(
  query: ExportQuery,
  format: ExportFormat,
  params: Readonly<Record<string, string | number>>,
  options: ExportOptions = {},
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) search.set(key, String(value));
  for (const key of ['scope', 'lang', 'title'] as const) {
    const value = options[key];
    if (value !== undefined && value !== '') search.set(key, value);
  }
  const qs = search.toString();
  return `/api/v1/exports/${query}.${format}${qs ? `?${qs}` : ''}`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `20261207-1045`: when, on the county's clock, for a file name. */
export function fileStamp(ms: number): string {
  const d = new Date(ms + UTC_OFFSET_MS);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}`;
}

/** Characters no file system takes in a name (Windows' set is the widest), and control characters. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f/\\:*?"<>|]+/g;

/** `双流区_一月一评估_全区_20261207-1045.xlsx`: the parts joined, each made safe for any file system. */
export function exportFileName(parts: readonly string[], ext: string): string {
  const clean = parts
    .map((p) => p.replace(UNSAFE, '_').replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '')
    .join('_')
    .slice(0, 120);
  return `${clean || 'export'}.${ext}`;
}
