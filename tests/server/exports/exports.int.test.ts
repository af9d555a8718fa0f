/**
 * Exports on the real server (in-process app, real chdb, seeded history): every exportable query,
 * for the district and for a town, as CSV and as Excel, parsed back (csv-parse, exceljs) and
 * compared figure by figure with the named query's own answer at the moment the export read it
 * (`X-Data-As-Of`); a town's dispatcher is kept to its town; a public display and a device are
 * refused; text a citizen typed reaches the file masked, as on the wall.
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_QUERIES, exportUrl, type ExportFormat, type ExportQuery } from '../../../shared/export-file.js';
import type { AuditPage } from '../../../shared/audit.js';
import type { PracticeEvent } from '../../../shared/events.js';
import type { QueryParams } from '../../../shared/queries/index.js';
import { loadEvaluationConfig } from '../../../server/config.js';
import { guardFormula } from '../../../server/exports/csv.js';
import { countyTime, type Cell, type Table } from '../../../server/exports/sheet.js';
import { describeExport } from '../../../server/exports/tables.js';
import { SHEET_WORDS } from '../../../server/exports/words.js';
import { buildScopes } from '../../../server/live/scope.js';
import { QUERIES } from '../../../server/queries/index.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { headersFor, type Credential } from '../../helpers/auth.js';
import { checkin } from '../../helpers/events.js';
import { eventually } from '../../helpers/server.js';

const PASSWORD = 'a test password for people';
const PHONE = '13912345678';
const ID_NUMBER = '510122198802023456';

/** One parameter set per query, as a panel would ask (a town's evaluation ranks its 站). */
const PARAMS: { [Q in ExportQuery]: (town: boolean) => QueryParams<Q> } = {
  evaluation: (town) => ({ period: 'year', level: town ? 'station' : 'institute' }),
  'brands.ranking': () => ({ period: 'year' }),
  'orders.closure': () => ({ window: '30d' }),
  'appeals.categories': () => ({ window: '30d' }),
  'dispatch.summary': () => ({ window: '30d' }),
  'media.propagation': () => ({ window: '30d', limit: 10 }),
  'kpi.compare': () => ({}),
  trend: () => ({ metric: 'mediaReads', window: '24h' }),
  'nodes.status': () => ({ window: '24h' }),
};

let server: TestApp;
let as: Record<'leader' | 'dispatcher' | 'wall' | 'device' | 'publicDisplay', Credential>;
let townStation = '';

beforeAll(async () => {
  server = await startApp({
    // A public display, so an anonymous caller is one (it reads the wall, and must not export).
    env: { PUBLIC_DISPLAY: '1' },
    users: [
      { username: 'leader', password: PASSWORD, role: 'leader' },
      { username: 'd-i03', password: PASSWORD, role: 'dispatcher', scope: 'I03' },
    ],
  });
  as = {
    leader: { cookie: await server.login('leader', PASSWORD) },
    dispatcher: { cookie: await server.login('d-i03', PASSWORD) },
    wall: { token: await server.wallToken() },
    device: { token: server.token },
    publicDisplay: null,
  };
  townStation = server.app.network.nodes.find((n) => n.level === 'station' && n.instituteId === 'I03')?.id ?? '';
  // A report typed with a phone and an ID number in its title, read often enough to top the lists.
  const now = Date.now();
  const events: PracticeEvent[] = [
    {
      id: randomUUID(),
      type: 'media.published',
      nodeId: townStation,
      ts: now - 60_000,
      articleId: 'ART-EXPORT-1',
      title: `=求助电话${PHONE} 身份证${ID_NUMBER}`,
      activityId: 'ACT-EXPORT-1',
      brandId: null,
    },
    {
      id: randomUUID(),
      type: 'media.read',
      nodeId: townStation,
      ts: now - 30_000,
      articleId: 'ART-EXPORT-1',
      reads: 5_000_000,
      shares: 9,
    },
    // A volunteer on duty there, so the town's live status has a row.
    checkin({ nodeId: townStation, ts: now - 20_000 }),
  ];
  const posted = await server.fetch('/api/v1/events', {
    method: 'POST',
    headers: { ...headersFor(as.device), 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  expect(posted.status).toBe(200);
  const scopes = buildScopes(server.app.network);
  await eventually(async () => {
    const answer = await QUERIES['media.propagation'].run(
      context(Date.now()),
      { window: '30d', limit: 10 },
      scopes.nodesIn(scopes.root),
    );
    return answer.articles.some((a) => a.id === 'ART-EXPORT-1') ? true : undefined;
  });
});
afterAll(async () => {
  await server.close();
});

const context = (now: number) => ({
  store: server.app.store,
  now,
  config: { evaluation: loadEvaluationConfig(server.config.EVALUATION_FILE) },
});

async function get(url: string, credential: Credential): Promise<Response> {
  return server.fetch(url, { headers: headersFor(credential) });
}

/** The file as the tables it holds: each table's rows as text (CSV) or cell values (Excel). */
interface Parsed {
  header: [string, string][];
  tables: { name: string; titles: string[]; rows: unknown[][] }[];
}

function parseCsv(body: Buffer): Parsed {
  const records: string[][] = parse(body, { bom: true, relax_column_count: true, skip_empty_lines: false });
  const blank = records.findIndex((r) => r.length === 1 && r[0] === '');
  const header = records.slice(0, blank).map((r) => [r[0] ?? '', r[1] ?? ''] as [string, string]);
  const tables: Parsed['tables'] = [];
  let rest = records.slice(blank);
  while (rest.length > 0) {
    const next = rest.findIndex((r, i) => i > 0 && r.length === 1 && r[0] === '');
    const section = next === -1 ? rest : rest.slice(0, next);
    tables.push({ name: section[1]?.[0] ?? '', titles: section[2] ?? [], rows: section.slice(3) });
    rest = next === -1 ? [] : rest.slice(next);
  }
  return { header, tables };
}

async function parseXlsx(body: Buffer, headerLines: number): Promise<Parsed> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as unknown as ArrayBuffer);
  const values = (row: ExcelJS.Row, width: number) => Array.from({ length: width }, (_, i) => row.getCell(i + 1).value);
  const first = book.worksheets[0];
  if (!first) throw new Error('no worksheet');
  const header = Array.from({ length: headerLines }, (_, i) => values(first.getRow(i + 1), 2) as [string, string]);
  const tables = book.worksheets.map((ws) => {
    const titleRow = ws.getRow(headerLines + 2);
    const width = titleRow.cellCount;
    const rows: unknown[][] = [];
    for (let r = headerLines + 3; r <= ws.rowCount; r += 1) rows.push(values(ws.getRow(r), width));
    return { name: ws.name, titles: values(titleRow, width) as string[], rows };
  });
  return { header, tables };
}

/** A cell of the query's own answer as the file must hold it. */
function wanted(cell: Cell, kind: Table['columns'][number]['kind'], format: ExportFormat): unknown {
  if (format === 'xlsx') {
    if (kind === 'time' && typeof cell === 'number') return new Date(cell + 8 * 3_600_000);
    return cell;
  }
  if (cell === null) return '';
  if (typeof cell === 'string') return guardFormula(cell);
  return kind === 'time' ? countyTime(cell) : String(cell);
}

async function exportOf(query: ExportQuery, format: ExportFormat, scope: string | undefined, credential: Credential) {
  const params = PARAMS[query](scope !== undefined) as Record<string, string | number>;
  const response = await get(exportUrl(query, format, params, scope ? { scope } : {}), credential);
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`${query}.${format} answered ${response.status}: ${body.toString()}`);
  const asOf = Number(response.headers.get('x-data-as-of'));
  const scopes = buildScopes(server.app.network);
  const target = scope ?? scopes.root;
  const answer = await QUERIES[query].run(context(asOf), params as never, scopes.nodesIn(target));
  const words = SHEET_WORDS['zh-CN'];
  const own = describeExport(query, params as never, answer as never, {
    words,
    nodeName: (id) => server.app.nodeNames.get(id) ?? id,
    asOf,
  });
  const file = format === 'csv' ? parseCsv(body) : await parseXlsx(body, 6 + own.extra.length);
  return { response, body, answer, own, file, asOf };
}

describe('every ranking and table, as the named query answers it', () => {
  for (const query of EXPORT_QUERIES)
    for (const format of ['csv', 'xlsx'] as const)
      for (const scope of [undefined, 'I03'])
        it(`${query}.${format} for ${scope ?? 'the district'}`, async () => {
          const { response, own, file } = await exportOf(query, format, scope, as.leader);
          expect(response.headers.get('content-type')).toMatch(
            format === 'csv' ? /^text\/csv; charset=utf-8/ : /spreadsheetml/,
          );
          expect(response.headers.get('content-disposition')).toMatch(
            new RegExp(`^attachment; filename="${query}_${scope ?? 'C'}`),
          );
          const scopeName = scope ? server.app.nodeNames.get(scope) : '全区';
          expect(file.header.slice(0, 4)).toEqual([
            ['县区', server.app.network.county.name],
            ['面板', own.title],
            ['范围', scopeName],
            ['时段', own.period],
          ]);
          expect(file.tables.map((t) => [t.name, t.titles])).toEqual(
            own.tables.map((t) => [t.name, t.columns.map((c) => c.title)]),
          );
          // The seeded history and the events above fill every table.
          expect(file.tables.reduce((n, t) => n + t.rows.length, 0)).toBeGreaterThan(0);
          for (const [i, table] of own.tables.entries()) {
            const want = table.rows.map((row) =>
              row.map((cell, j) => wanted(cell, table.columns[j]?.kind ?? 'text', format)),
            );
            expect(file.tables[i]?.rows).toEqual(want);
          }
          if (format === 'xlsx')
            for (const [i, table] of own.tables.entries())
              for (const row of file.tables[i]?.rows ?? [])
                table.columns.forEach((c, j) => {
                  if (c.kind === 'number' && row[j] !== null) expect(typeof row[j]).toBe('number');
                });
        });

  it('puts the ranking in the file as the evaluation ranks it, figure by figure', async () => {
    const { answer, file } = await exportOf('evaluation', 'xlsx', undefined, as.leader);
    const ranking = answer as Awaited<ReturnType<(typeof QUERIES)['evaluation']['run']>>;
    // All nine 所 of the seeded district, so the comparison below compares something.
    expect(ranking.rows).toHaveLength(9);
    expect(file.tables[0]?.rows.map((r) => [r[0], r[1], r[3], r[4], r[5], r[6], r[7], r[8], r[9]])).toEqual(
      ranking.rows.map((u) => [
        u.rank,
        u.id,
        u.score,
        u.figures.activities,
        u.figures.participants,
        u.figures.serviceHours,
        u.figures.ordersCompleted,
        u.figures.appealsClosed,
        u.figures.mediaReads,
      ]),
    );
  });
});

describe('who may export what', () => {
  it("gives a town's dispatcher its own town by default, a station inside it, and refuses another town", async () => {
    const own = await get(exportUrl('orders.closure', 'csv', { window: '30d' }), as.dispatcher);
    expect(own.status).toBe(200);
    expect(parseCsv(Buffer.from(await own.arrayBuffer())).header[2]).toEqual(['范围', server.app.nodeNames.get('I03')]);
    expect(
      (await get(exportUrl('orders.closure', 'csv', { window: '30d' }, { scope: townStation }), as.dispatcher)).status,
    ).toBe(200);
    for (const scope of ['I04', 'C0']) {
      const other = await get(exportUrl('orders.closure', 'xlsx', { window: '30d' }, { scope }), as.dispatcher);
      expect(other.status).toBe(403);
      expect(await other.json()).toMatchObject({ code: 'AUTH_FORBIDDEN' });
    }
  });

  it('lets a wall token export, and refuses a public display (with why) and a device', async () => {
    expect((await get(exportUrl('kpi.compare', 'csv', {}), as.wall)).status).toBe(200);
    const anonymous = await get(exportUrl('kpi.compare', 'csv', {}), as.publicDisplay);
    expect(anonymous.status).toBe(401);
    const refusal = (await anonymous.json()) as { code: string; message: string };
    expect(refusal.code).toBe('EXPORT_PUBLIC_DISPLAY');
    expect(refusal.message).toMatch(/public display/);
    // The same caller reads the wall: the refusal is the export's own.
    expect((await get('/api/kpi', as.publicDisplay)).status).toBe(200);
    expect((await get(exportUrl('kpi.compare', 'csv', {}), as.device)).status).toBe(403);
  });

  it("validates the query's parameters and the scope as a subscription is validated", async () => {
    const bad = await get('/api/v1/exports/trend.csv?metric=checkins&window=2h', as.leader);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'REQ_VALIDATION' });
    expect((await get('/api/v1/exports/trend.csv?metric=checkins&window=1h&extra=1', as.leader)).status).toBe(400);
    expect((await get('/api/v1/exports/heat.csv?window=1h&source=all&category=all', as.leader)).status).toBe(400);
    expect((await get('/api/v1/exports/kpi.compare.pdf', as.leader)).status).toBe(400);
    const unknown = await get(exportUrl('kpi.compare', 'csv', {}, { scope: 'X999' }), as.leader);
    expect(await unknown.json()).toMatchObject({ code: 'LIVE_UNKNOWN_SCOPE' });
  });

  it('writes each export on the audit trail', async () => {
    await get(exportUrl('dispatch.summary', 'xlsx', { window: '7d' }, { scope: 'I03' }), as.leader);
    const audit = await get('/api/v1/audit?action=data.exported&limit=1000', { cookie: await server.login() });
    const { entries } = (await audit.json()) as AuditPage;
    expect(entries).toContainEqual(expect.objectContaining({ actor: 'leader', subject: 'dispatch.summary@I03.xlsx' }));
  });
});

describe('masking', () => {
  it('masks a phone and an ID number typed into a title, in CSV and Excel, as on the wall', async () => {
    for (const query of ['media.propagation', 'trend'] as const)
      for (const format of ['csv', 'xlsx'] as const) {
        const { body, file } = await exportOf(query, format, 'I03', as.dispatcher);
        const texts = file.tables.flatMap((t) => t.rows.flat()).filter((v): v is string => typeof v === 'string');
        const title = texts.find((t) => t.includes('求助电话'));
        expect(title, `${query}.${format}`).toBeDefined();
        expect(title).toContain('139****5678');
        expect(title).toContain('5101**********3456');
        if (format === 'csv') {
          expect(title?.startsWith("'=")).toBe(true);
          expect(body.toString('utf8')).not.toContain(PHONE);
          expect(body.toString('utf8')).not.toContain(ID_NUMBER);
        }
        for (const text of texts) {
          expect(text).not.toContain(PHONE);
          expect(text).not.toContain(ID_NUMBER);
        }
      }
  });
});
