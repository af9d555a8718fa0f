/**
 * An export as a format-free sheet: the header block (county, panel, scope, period, when the data
 * was read and when it was exported, on the county's clock) and the panel's tables, each cell a
 * number or text as its column's kind says. csv.ts and xlsx.ts write it; neither decides content.
 */
import { UTC_OFFSET, UTC_OFFSET_MS } from '../../shared/time-zone.js';
import type { SheetWords } from './words.js';

/** `time` cells hold epoch ms; `percent` cells a share (0.973), shown as a percentage where a format can. */
export type ColumnKind = 'text' | 'number' | 'percent' | 'time';
export interface Column {
  title: string;
  kind: ColumnKind;
}
export type Cell = string | number | null;
export interface Table {
  /** The sheet's (Excel) and the section's (CSV) name. */
  name: string;
  columns: Column[];
  rows: Cell[][];
}
export interface Sheet {
  /** Label and value, one line each. */
  header: [string, string][];
  tables: Table[];
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `2026-12-07 10:45` (or with seconds) on the county's clock, which keeps Beijing time all year. */
export function countyTime(ms: number, seconds = false): string {
  const d = new Date(ms + UTC_OFFSET_MS);
  const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return `${day} ${time}${seconds ? `:${pad(d.getUTCSeconds())}` : ''}`;
}

export interface SheetFacts {
  county: string;
  title: string;
  scope: string;
  period: string;
  /** When the figures were read from the store (the wall's freshness), epoch ms. */
  asOf: number;
  exportedAt: number;
  /** Lines a query adds to the header (the evaluation's weights). */
  extra?: [string, string][];
}

export function buildSheet(facts: SheetFacts, tables: Table[], words: SheetWords): Sheet {
  const h = words.header;
  return {
    header: [
      [h.county, facts.county],
      [h.panel, facts.title],
      [h.scope, facts.scope],
      [h.period, facts.period],
      [h.asOf, countyTime(facts.asOf, true)],
      [h.exported, `${countyTime(facts.exportedAt, true)} (UTC${UTC_OFFSET})`],
      ...(facts.extra ?? []),
    ],
    tables,
  };
}
