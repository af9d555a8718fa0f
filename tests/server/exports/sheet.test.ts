/**
 * An export's sheet, written as CSV and as Excel and read back: figures stay numbers, the header
 * block says what the file is, CSV fields survive any text (RFC 4180 quoting, by property), and
 * text that a spreadsheet would run as a formula is defused in the CSV and kept as a string cell in
 * the workbook.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EvaluationResult } from '../../../shared/queries/evaluation.js';
import { UTC_OFFSET_MS } from '../../../shared/time-zone.js';
import { guardFormula, toCsv } from '../../../server/exports/csv.js';
import { buildSheet, countyTime, type Sheet, type Table } from '../../../server/exports/sheet.js';
import { describeExport } from '../../../server/exports/tables.js';
import { SHEET_WORDS } from '../../../server/exports/words.js';
import { toXlsx } from '../../../server/exports/xlsx.js';

const words = SHEET_WORDS['zh-CN'];
// 2026-12-07 10:45:30 in the county (02:45:30 UTC).
const AS_OF = Date.UTC(2026, 11, 7, 2, 45, 30);
const EXPORTED = AS_OF + 2_000;

const evaluation: EvaluationResult = {
  start: '2026-12-01',
  weights: {
    activities: 25,
    participants: 15,
    serviceHours: 20,
    ordersCompleted: 15,
    appealsClosed: 10,
    mediaReads: 15,
  },
  rows: [
    {
      id: 'I03',
      name: '=HYPERLINK("http://x")九江街道',
      figures: {
        activities: 12,
        participants: 340,
        serviceHours: 812.5,
        ordersCompleted: 7,
        appealsClosed: 9,
        mediaReads: 1200,
      },
      score: 91.25,
      rank: 1,
      previousRank: 4,
    },
    {
      id: 'I01',
      name: '东升街道',
      figures: { activities: 3, participants: 0, serviceHours: 0, ordersCompleted: 0, appealsClosed: 1, mediaReads: 0 },
      score: 12,
      rank: 2,
      previousRank: null,
    },
  ],
};

function evaluationSheet(): Sheet {
  const parts = describeExport('evaluation', { period: 'month', level: 'institute' }, evaluation, {
    words,
    nodeName: (id) => id,
    asOf: AS_OF,
  });
  return buildSheet(
    {
      county: '双流区',
      title: parts.title,
      scope: '全区',
      period: parts.period,
      asOf: AS_OF,
      exportedAt: EXPORTED,
      extra: parts.extra,
    },
    parts.tables,
    words,
  );
}

const readCsv = (buffer: Buffer): string[][] =>
  parse(buffer, { bom: true, relax_column_count: true, skip_empty_lines: false });

async function readXlsx(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(buffer as unknown as ArrayBuffer);
  return book;
}

describe('the header block', () => {
  it('names the county, panel, scope, period, data time and export time on the county clock', () => {
    const sheet = evaluationSheet();
    expect(sheet.header).toEqual([
      ['县区', '双流区'],
      ['面板', '一月一评估 · 所'],
      ['范围', '全区'],
      ['时段', '本月（2026-12-01 至 2026-12-07）'],
      ['数据截至', '2026-12-07 10:45:30'],
      ['导出时间', '2026-12-07 10:45:32 (UTC+08:00)'],
      [
        '评估权重',
        '活动（场） 25，参与（人次） 15，服务时长（小时） 20，点单办结（单） 15，诉求办结（件） 10，传播（阅读） 15',
      ],
    ]);
  });

  it('is in English with ?lang=en', () => {
    const parts = describeExport(
      'trend',
      { metric: 'checkins', window: '24h' },
      { bucketMs: 3_600_000, points: [], marks: [] },
      {
        words: SHEET_WORDS.en,
        nodeName: (id) => id,
        asOf: AS_OF,
      },
    );
    expect(parts.title).toBe('Trend · Check-ins');
    expect(parts.period).toBe('Last 24 hours (2026-12-06 10:45 to 2026-12-07 10:45)');
  });
});

describe('CSV', () => {
  it('starts with a UTF-8 byte order mark and separates records with CRLF', () => {
    const csv = toCsv(evaluationSheet());
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8')).toContain('\r\n');
    expect(csv.toString('utf8').replace(/\r\n/g, '')).not.toMatch(/\n/);
  });

  it('writes the header block, then each table under its name and column titles, figures as numbers', () => {
    const records = readCsv(toCsv(evaluationSheet()));
    expect(records.slice(0, 7).map((r) => r[0])).toEqual([
      '县区',
      '面板',
      '范围',
      '时段',
      '数据截至',
      '导出时间',
      '评估权重',
    ]);
    expect(records[7]).toEqual(['']);
    expect(records[8]).toEqual(['排名']);
    expect(records[9]?.slice(0, 4)).toEqual(['排名', '编号', '名称', '得分']);
    const [first, second] = records.slice(10);
    // The name is a citizen-editable text: defused. The figures are plain numbers, a negative one included.
    expect(first).toEqual([
      '1',
      'I03',
      `'=HYPERLINK("http://x")九江街道`,
      '91.25',
      '12',
      '340',
      '812.5',
      '7',
      '9',
      '1200',
      '4',
      '3',
    ]);
    expect(second).toEqual(['2', 'I01', '东升街道', '12', '3', '0', '0', '0', '1', '0', '', '']);
    for (const row of [first, second])
      for (const i of [0, 3, 4, 5, 6]) expect(Number.isFinite(Number(row?.[i]))).toBe(true);
  });

  it('keeps any text intact through quoting, and defuses exactly the fields a spreadsheet would run', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', '九', ',', '"', '\n', '\r', '=', '+', '-', '@', '\t', ' ', "'", ';'),
      maxLength: 12,
    });
    fc.assert(
      fc.property(fc.array(fc.array(text, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (cells) => {
        const width = Math.max(...cells.map((r) => r.length));
        const table: Table = {
          name: '表',
          columns: Array.from({ length: width }, (_, i) => ({ title: `c${i}`, kind: 'text' as const })),
          rows: cells,
        };
        const records = readCsv(toCsv({ header: [['县区', '双流区']], tables: [table] }));
        const rows = records.slice(4);
        expect(rows).toEqual(cells.map((r) => r.map(guardFormula)));
        for (const row of rows) for (const field of row) expect(/^[=+\-@\t\r]/.test(field)).toBe(false);
        for (const [i, row] of cells.entries())
          for (const [j, cell] of row.entries())
            expect(rows[i]?.[j]).toBe(/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell);
      }),
      { numRuns: 300 },
    );
  });

  it('writes numbers as numbers and times on the county clock, whatever their sign', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.double({ noNaN: true, noDefaultInfinity: true })), {
          maxLength: 8,
        }),
        (pairs) => {
          const table: Table = {
            name: 't',
            columns: [
              { title: 'n', kind: 'number' },
              { title: 'x', kind: 'number' },
              { title: 'at', kind: 'time' },
            ],
            rows: pairs.map(([n, x]) => [n, x, AS_OF]),
          };
          const rows = readCsv(toCsv({ header: [], tables: [table] })).slice(3);
          expect(rows.map((r) => [Number(r[0]), Number(r[1]), r[2]])).toEqual(
            pairs.map(([n, x]) => [n, Object.is(x, -0) ? 0 : x, countyTime(AS_OF)]),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('Excel', () => {
  it('has one worksheet per table with the header block, number cells for figures and string cells for text', async () => {
    const book = await readXlsx(await toXlsx(evaluationSheet(), EXPORTED));
    expect(book.worksheets.map((w) => w.name)).toEqual(['排名']);
    const ws = book.worksheets[0];
    if (!ws) throw new Error('no worksheet');
    expect(ws.getRow(1).values).toEqual([undefined, '县区', '双流区']);
    expect(ws.getRow(6).getCell(2).value).toBe('2026-12-07 10:45:32 (UTC+08:00)');
    expect(ws.getRow(9).getCell(1).value).toBe('排名');
    const first = ws.getRow(10);
    expect(first.getCell(1).value).toBe(1);
    expect(first.getCell(4).value).toBe(91.25);
    expect(first.getCell(7).value).toBe(812.5);
    expect(first.getCell(12).value).toBe(3);
    // A citizen's "=…" stays text: a string cell, no formula.
    expect(first.getCell(3).type).toBe(ExcelJS.ValueType.String);
    expect(first.getCell(3).value).toBe('=HYPERLINK("http://x")九江街道');
    expect(first.getCell(3).formula).toBeUndefined();
    expect(ws.getRow(11).getCell(11).value).toBeNull();
  });

  it('writes times as date cells on the county clock and shares as percentages', async () => {
    const table: Table = {
      name: 'a/b:c*?[d]',
      columns: [
        { title: 't', kind: 'time' },
        { title: 'r', kind: 'percent' },
      ],
      rows: [[AS_OF, 0.975]],
    };
    const book = await readXlsx(await toXlsx({ header: [], tables: [table, table] }, EXPORTED));
    expect(book.worksheets.map((w) => w.name)).toEqual(['a b c   d', 'a b c   d 2']);
    const row = book.worksheets[0]?.getRow(3);
    const at = row?.getCell(1).value;
    expect(at).toBeInstanceOf(Date);
    expect((at as Date).getTime() - UTC_OFFSET_MS).toBe(AS_OF);
    expect(row?.getCell(2).value).toBe(0.975);
    expect(row?.getCell(2).numFmt).toBe('0.0%');
  });
});
