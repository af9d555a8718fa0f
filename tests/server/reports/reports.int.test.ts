/**
 * Evaluation reports on the real server (in-process app, real chdb, seeded history, real Chromium):
 * a month's report archived with its weights version; its ranking tables equal the evaluation
 * query's figures for that month and the month before; generated again with the same weights it is
 * the same PDF but for its timestamp; it embeds its CJK fonts; leaders and admins list and download
 * it, every other role is refused and audited; a town's report numbers its sections as printed.
 * The pages go to tests/e2e/artifacts/ as PNG (pdftoppm) to be looked at.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage } from '../../../shared/audit.js';
import { CRITERIA } from '../../../shared/evaluation.js';
import {
  lastClosed,
  periodRange,
  type PeriodRange,
  type ReportData,
  type ReportList,
  type ReportSummary,
} from '../../../shared/report.js';
import { QUERIES } from '../../../server/queries/index.js';
import { stampPdf } from '../../../server/reports/pdf.js';
import { asOf } from '../../../server/store/as-of.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { headersFor, type Credential } from '../../helpers/auth.js';
import { readyVolunteer } from '../../helpers/volunteer.js';

const PASSWORD = 'a test password for people';
const ARTIFACTS = 'tests/e2e/artifacts';

let server: TestApp;
let leader: Credential;
let admin: Credential;
let month: PeriodRange;
let first: ReportSummary;
let firstPdf: Buffer;

const post = (credential: Credential, body: unknown) =>
  server.fetch('/api/v1/reports', {
    method: 'POST',
    headers: { ...headersFor(credential), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const pdfOf = async (id: string, credential: Credential = leader) =>
  Buffer.from(
    await (await server.fetch(`/api/v1/reports/${id}/pdf`, { headers: headersFor(credential) })).arrayBuffer(),
  );

beforeAll(async () => {
  server = await startApp({
    users: [
      { username: 'leader', password: PASSWORD, role: 'leader' },
      { username: 'disp', password: PASSWORD, role: 'dispatcher', scope: 'district' },
    ],
  });
  leader = { cookie: await server.login('leader', PASSWORD) };
  admin = { cookie: await server.login() };
  month = lastClosed('month', Date.now());
  const made = await post(leader, { period: 'month', start: month.start });
  expect(made.status).toBe(201);
  first = (await made.json()) as ReportSummary;
  firstPdf = await pdfOf(first.id);
}, 240_000);
afterAll(() => server.close());

/** The named evaluation query, as a wall subscribed to it would run it at the period's last moment. */
async function evaluation(range: PeriodRange, level: 'institute' | 'station', weights: ReportData['weights']) {
  return QUERIES.evaluation.run(
    { store: asOf(server.app.store, range.endMs), now: range.endMs - 1, config: { evaluation: { weights } } },
    { period: range.period, level },
    null,
  );
}

describe('evaluation reports', () => {
  it('archives the month with the weights version in force, a PDF with its CJK fonts embedded', async () => {
    expect(first).toMatchObject({
      period: 'month',
      start: month.start,
      scope: 'district',
      weightsVersion: 0,
      generatedBy: 'leader',
    });
    expect(firstPdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(firstPdf.length).toBe(first.bytes);
    const dir = `${ARTIFACTS}/report`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/report-month.pdf`, firstPdf);
    const fonts = execFileSync('pdffonts', [`${dir}/report-month.pdf`], { encoding: 'utf8' });
    // Skia prints the CFF outlines of Noto Sans CJK as Type 3 fonts: each embedded, with a Unicode
    // map (the text can be searched and copied), as the posters' (tests/scripts/codes.int.test.ts).
    const lines = fonts.split('\n').slice(2).filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/\syes\s+(yes|no)\s+yes\s/);
    const text = execFileSync('pdftotext', ['-layout', `${dir}/report-month.pdf`, '-'], { encoding: 'utf8' });
    expect(text).toContain('月度评估报告');
    expect(text).toContain('文明实践所排名');
    // The pages as pictures, to be looked at.
    execFileSync('pdftoppm', ['-png', '-r', '70', `${dir}/report-month.pdf`, `${dir}/page`]);
  });

  it("prints the evaluation query's figures: ranks, scores and every criterion, this month and the one before", async () => {
    const data = (await (
      await server.fetch(`/api/v1/reports/${first.id}/figures`, { headers: headersFor(leader) })
    ).json()) as ReportData;
    const before = periodRange('month', month.previous) as PeriodRange;
    for (const [level, rows] of [
      ['institute', data.institutes],
      ['station', data.stations],
    ] as const) {
      const now = await evaluation(month, level, data.weights);
      const was = await evaluation(before, level, data.weights);
      const wasBy = new Map(was.rows.map((r) => [r.id, r.figures]));
      expect(rows.map((r) => [r.id, r.rank, r.score, r.previousRank])).toEqual(
        now.rows.map((r) => [r.id, r.rank, r.score, r.previousRank]),
      );
      for (const [i, row] of rows.entries()) {
        for (const c of CRITERIA) {
          expect(row.figures[c].value).toBe(now.rows[i]?.figures[c]);
          expect(row.figures[c].previous).toBe(wasBy.get(row.id)?.[c] ?? 0);
        }
      }
      // Something to judge by: the seeded month has activity in some unit.
      expect(rows.some((r) => r.score > 0)).toBe(true);
    }
  });

  it('made again with the same weights, is the same PDF but for its timestamp', async () => {
    const again = (await (
      await post(admin, { period: 'month', start: month.start, weightsVersion: first.weightsVersion })
    ).json()) as ReportSummary;
    expect(again.id).not.toBe(first.id);
    const second = await pdfOf(again.id);
    expect(second.length).toBe(firstPdf.length);
    // Bytes that differ lie only inside the /CreationDate and /ModDate strings and the /ID.
    const text = firstPdf.toString('latin1');
    const allowed = [...text.matchAll(/\/(CreationDate|ModDate) ?\([^)]*\)|\/ID ?\[[^\]]*\]/g)].map((m) => [
      m.index,
      m.index + m[0].length,
    ]);
    const outside: number[] = [];
    for (let i = 0; i < firstPdf.length; i += 1)
      if (firstPdf[i] !== second[i] && !allowed.some(([a = 0, b = 0]) => i >= a && i < b)) outside.push(i);
    expect(outside).toEqual([]);
    // Stamped with the first one's moment, it is the archived one byte for byte.
    expect(stampPdf(second, first.generatedAt).equals(firstPdf)).toBe(true);
    expect(firstPdf.equals(second)).toBe(false);
  }, 120_000);

  it('lists and downloads for leaders and admins; refuses every other role, audited', async () => {
    const { reports } = (await (
      await server.fetch('/api/v1/reports', { headers: headersFor(admin) })
    ).json()) as ReportList;
    expect(reports.filter((r) => r.start === month.start && r.period === 'month')).toHaveLength(2);
    expect((await pdfOf(first.id, admin)).equals(firstPdf)).toBe(true);
    const volunteer = (await readyVolunteer(server, await server.login())).credential;
    const others: [string, Credential][] = [
      ['wall', { token: await server.wallToken() }],
      ['dispatcher', { cookie: await server.login('disp', PASSWORD) }],
      ['device', { token: server.token }],
      ['volunteer', volunteer],
    ];
    for (const [who, credential] of others) {
      for (const [method, path] of [
        ['GET', '/api/v1/reports'],
        ['GET', `/api/v1/reports/${first.id}/pdf`],
        ['POST', '/api/v1/reports'],
      ] as const) {
        const response = await server.fetch(path, {
          method,
          headers: { ...headersFor(credential), 'content-type': 'application/json' },
          ...(method === 'POST' ? { body: JSON.stringify({ period: 'month', start: month.start }) } : {}),
        });
        expect(response.status, `${who} ${method} ${path}`).toBe(403);
      }
    }
    const audit = await server.fetch('/api/v1/audit?action=report.refused&limit=100', { headers: headersFor(admin) });
    const { entries } = (await audit.json()) as AuditPage;
    expect(entries).toHaveLength(12);
    expect(new Set(entries.map((e) => e.subject?.split(' as ')[1]))).toEqual(
      new Set(['wall', 'dispatcher', 'device', 'volunteer']),
    );
  });

  it("numbers a town's sections one after another (it has no 所 ranking), the pages to look at", async () => {
    const made = await post(leader, { period: 'month', start: month.start, scope: 'I01' });
    expect(made.status).toBe(201);
    const town = (await made.json()) as ReportSummary;
    expect(town.scope).toBe('I01');
    const dir = `${ARTIFACTS}/report`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/report-town.pdf`, await pdfOf(town.id));
    const text = execFileSync('pdftotext', ['-layout', `${dir}/report-town.pdf`, '-'], { encoding: 'utf8' });
    const headings = [...text.matchAll(/^\s*([一二三四五六七八九十])、(\S+)/gm)].map((m) => `${m[1]}、${m[2]}`);
    expect(headings).toEqual([
      '一、总体情况',
      '二、文明实践站排名',
      '三、品牌传播力',
      '四、媒体传播（实践报道）',
      '五、网上群众路线：诉求办结',
    ]);
    expect(text).not.toContain('文明实践所排名');
    execFileSync('pdftoppm', ['-png', '-r', '70', `${dir}/report-town.pdf`, `${dir}/town`]);
  }, 120_000);

  it('refuses a period not over yet, and one that does not start a half-year', async () => {
    const open = lastClosed('month', Date.now() + 40 * 86_400_000);
    const answer = await post(leader, { period: 'month', start: open.start });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { code: string }).code).toBe('REPORT_BAD_PERIOD');
    expect((await post(leader, { period: 'half', start: '2026-03-01' })).status).toBe(400);
  });
});
