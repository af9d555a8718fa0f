/**
 * A sheet as an Excel workbook (exceljs): one worksheet per table, each starting with the header
 * block so a worksheet printed or sent on its own still says what it is. Figures are number
 * cells (a share formatted as a percentage, a time as a date cell on the county's clock); text is a
 * string cell, which Excel never runs as a formula, so text needs no guard here (the CSV does).
 */
import ExcelJS from 'exceljs';
import { UTC_OFFSET_MS } from '../../shared/time-zone.js';
import type { Cell, Column, Sheet } from './sheet.js';

const FORMATS: Partial<Record<Column['kind'], string>> = { percent: '0.0%', time: 'yyyy-mm-dd hh:mm' };
/** Excel's limits on a worksheet's name: 31 characters, none of these. */
const MAX_NAME = 31;
const BAD_NAME = /[[\]:*?/\\]/g;

function sheetName(name: string, used: Set<string>): string {
  const base = name.replace(BAD_NAME, ' ').trim().slice(0, MAX_NAME) || 'Sheet';
  let candidate = base;
  for (let i = 2; used.has(candidate); i += 1) candidate = `${base.slice(0, MAX_NAME - 3)} ${i}`;
  used.add(candidate);
  return candidate;
}

/** Excel has no time zones: a date cell holds the county's wall-clock time. */
const value = (cell: Cell, column: Column | undefined): ExcelJS.CellValue =>
  column?.kind === 'time' && typeof cell === 'number' ? new Date(cell + UTC_OFFSET_MS) : cell;

export async function toXlsx(sheet: Sheet, created: number): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.created = new Date(created);
  const used = new Set<string>();
  for (const table of sheet.tables) {
    const ws = book.addWorksheet(sheetName(table.name, used));
    for (const [label, text] of sheet.header) ws.addRow([label, text]).getCell(1).font = { bold: true };
    ws.addRow([]);
    const titles = ws.addRow(table.columns.map((c) => c.title));
    titles.font = { bold: true };
    titles.eachCell((c) => (c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } }));
    for (const row of table.rows) ws.addRow(row.map((cell, i) => value(cell, table.columns[i])));
    table.columns.forEach((column, i) => {
      const c = ws.getColumn(i + 1);
      const format = FORMATS[column.kind];
      if (format) c.numFmt = format;
      c.width = column.kind === 'text' ? 28 : column.kind === 'time' ? 18 : 14;
    });
    // The header block's values are long: the first column takes the labels, the second their text.
    ws.getColumn(1).width = Math.max(ws.getColumn(1).width ?? 12, 12);
    ws.views = [{ state: 'frozen', ySplit: titles.number }];
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
