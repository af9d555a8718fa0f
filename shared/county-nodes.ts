/**
 * A county's nodes file, CSV (what a county office exports from a spreadsheet) or JSON (an array of
 * objects), read into rows that each know where they came from (`nodes.csv line 12`), so every
 * problem found later names the line to fix. Shape problems are collected here, all of them.
 */
import { parse } from 'csv-parse/sync';
import { Compile } from 'typebox/compile';
import { NodeRowSchema, type NodeRow } from './county.js';

export interface LocatedRow {
  row: NodeRow;
  /** `nodes.csv line 12 (S007)` or `nodes.json #12 (S007)`. */
  where: string;
}

const rowValidator = Compile(NodeRowSchema);
const COLUMNS = Object.keys(NodeRowSchema.properties);
const OPTIONAL = new Set(['kind']);
/** Headers as a Chinese spreadsheet may have them. */
const HEADER_WORDS: Readonly<Record<string, string>> = {
  编号: 'id',
  级别: 'level',
  层级: 'level',
  上级: 'parent',
  名称: 'name',
  经度: 'lon',
  纬度: 'lat',
  地址: 'address',
  类型: 'kind',
};

/** Rows of the file, or the problems that stop it being read (every one found). */
export function readNodesFile(file: string, bytes: Uint8Array): { rows: LocatedRow[]; problems: string[] } {
  let text: string;
  try {
    // Spreadsheets on Chinese Windows save CSV in GBK unless told otherwise: say so, don't show mojibake.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { rows: [], problems: [`${file}: not UTF-8 text (save it as "CSV UTF-8")`] };
  }
  const read = file.endsWith('.json') ? fromJson(file, text) : fromCsv(file, text);
  if ('problem' in read) return { rows: [], problems: [read.problem] };
  const rows: LocatedRow[] = [];
  const problems: string[] = [];
  for (const { value, at } of read.records) {
    const id = typeof value['id'] === 'string' && value['id'] !== '' ? ` (${value['id']})` : '';
    const where = `${file} ${at}${id}`;
    if (rowValidator.Check(value)) rows.push({ row: value, where });
    else {
      for (const e of rowValidator.Errors(value)) {
        const field = e.instancePath.slice(1) || 'row';
        const got = e.instancePath === '' ? '' : ` (got ${JSON.stringify(value[field])})`;
        problems.push(`${where}: ${field} ${e.message}${got}`);
      }
    }
  }
  if (read.records.length === 0) problems.push(`${file}: no nodes`);
  return { rows, problems };
}

type Records = { records: { value: Record<string, unknown>; at: string }[] } | { problem: string };

function fromJson(file: string, text: string): Records {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { problem: `${file}: not JSON (${(error as Error).message})` };
  }
  if (!Array.isArray(data)) return { problem: `${file}: must be an array of node objects` };
  return {
    records: data.map((value: unknown, i) => {
      const row = typeof value === 'object' && value !== null ? { ...(value as Record<string, unknown>) } : {};
      // JSON writes "no parent" and "no kind" as null; the row schema (shared with CSV) as ''.
      for (const key of ['parent', 'kind']) if (row[key] === null) row[key] = '';
      return { value: row, at: `#${i + 1}` };
    }),
  };
}

function fromCsv(file: string, text: string): Records {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    // `info` turns each record into { record, info }; the package's types do not follow the option.
    // Ragged lines are let through to be named against the header below.
    const options = { bom: true, info: true, skip_empty_lines: true, trim: true, relax_column_count: true };
    parsed = parse(text, options) as unknown as typeof parsed;
  } catch (error) {
    return { problem: `${file}: ${(error as Error).message}` };
  }
  const [header, ...body] = parsed;
  const columns = (header?.record ?? []).map((h) => HEADER_WORDS[h] ?? h);
  const unknown = columns.filter((c) => !COLUMNS.includes(c));
  const missing = COLUMNS.filter((c) => !OPTIONAL.has(c) && !columns.includes(c));
  if (unknown.length > 0 || missing.length > 0) {
    const said = [
      missing.length > 0 ? `missing column ${missing.join(', ')}` : '',
      unknown.length > 0 ? `unknown column ${unknown.join(', ')}` : '',
    ].filter((s) => s !== '');
    return { problem: `${file} line 1: ${said.join('; ')} (the columns are ${COLUMNS.join(', ')})` };
  }
  const ragged = body.find(({ record }) => record.length !== columns.length);
  if (ragged) {
    const { record, info } = ragged;
    return { problem: `${file} line ${info.lines}: ${record.length} cells, the header has ${columns.length}` };
  }
  return {
    records: body.map(({ record, info }) => {
      const value: Record<string, unknown> = {};
      columns.forEach((c, i) => {
        const cell = record[i] ?? '';
        // Coordinates are numbers; anything unreadable stays text for the schema to name.
        value[c] = (c === 'lon' || c === 'lat') && cell !== '' && Number.isFinite(Number(cell)) ? Number(cell) : cell;
      });
      return { value, at: `line ${info.lines}` };
    }),
  };
}
