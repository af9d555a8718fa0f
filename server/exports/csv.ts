/**
 * A sheet as CSV (RFC 4180 through csv-stringify: CRLF between records, a field with a comma, a
 * quote or a line break quoted, quotes doubled), with a UTF-8 byte order mark: without it Excel on
 * Windows reads the file in the system's code page and shows the Chinese as mojibake. The header
 * block, then each table as a section: a blank record, its name, its column titles, its rows.
 */
import { stringify } from 'csv-stringify/sync';
import { countyTime, type Cell, type ColumnKind, type Sheet } from './sheet.js';

/**
 * A spreadsheet opening a CSV runs a field that starts with = + - @ (or a tab or carriage return,
 * which some strip first) as a formula — `=HYPERLINK(...)` in a citizen's title would be a link
 * out of the county's network. Text fields that start so get a leading apostrophe, which shows the
 * text as typed and runs nothing (OWASP's advice). Figures are written as numbers and left alone:
 * a movement of -3 is a number, not a formula.
 */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function field(cell: Cell, kind: ColumnKind): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return guardFormula(cell);
  return kind === 'time' ? countyTime(cell) : String(cell);
}

export function toCsv(sheet: Sheet): Buffer {
  const records: string[][] = sheet.header.map(([label, value]) => [guardFormula(label), guardFormula(value)]);
  for (const table of sheet.tables) {
    records.push(
      [''],
      [guardFormula(table.name)],
      table.columns.map((c) => guardFormula(c.title)),
    );
    for (const row of table.rows) records.push(row.map((cell, i) => field(cell, table.columns[i]?.kind ?? 'text')));
  }
  return Buffer.from(stringify(records, { bom: true, record_delimiter: 'windows' }), 'utf8');
}
