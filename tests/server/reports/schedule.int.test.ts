/**
 * The report schedule's pass on the real store (seeded history, real Chromium): what closed within
 * the horizon and is not archived is made, by `scheduler`; a second pass makes nothing; a server
 * back after two months' downtime makes every period it missed, in the order they closed.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPeriods, lastClosed } from '../../../shared/report.js';
import { ReportService } from '../../../server/reports/service.js';
import { startApp, type TestApp } from '../../helpers/app.js';

let server: TestApp;
beforeAll(async () => {
  server = await startApp();
}, 120_000);
afterAll(() => server.close());

const service = (now: number) =>
  new ReportService({
    store: server.app.store,
    weights: server.app.weights,
    county: server.app.network.county.name,
    chromiumPath: server.config.CHROMIUM_PATH,
    scope: (id) => (id === 'district' ? { id, name: '全区', nodes: null } : null),
    log: pino({ level: 'silent' }),
    now: () => now,
  });

describe('report schedule', () => {
  it('makes the period that closed, once', async () => {
    const now = Date.now();
    const made = await service(now).catchUp(1);
    expect(made.map((r) => [r.period, r.start, r.scope, r.generatedBy])).toEqual([
      ['month', lastClosed('month', now).start, 'district', 'scheduler'],
    ]);
    expect(await service(now).catchUp(1)).toEqual([]);
  }, 120_000);

  it('after downtime, makes every period missed, oldest first', async () => {
    // Two months on: the next two months closed while nobody ran the schedule.
    const later = Date.now() + 62 * 86_400_000;
    const made = await service(later).catchUp(3);
    const months = made.map((r) => `${r.period} ${r.start}`);
    const first = lastClosed('month', Date.now());
    // The month already archived is not made again; the ones after it are, in order.
    expect(months).not.toContain(`month ${first.start}`);
    expect(months.filter((m) => m.startsWith('month')).length).toBeGreaterThanOrEqual(2);
    // Every period closed in the horizon but the archived one, by the moment it closed.
    expect(months).toEqual(
      closedPeriods(later, 3)
        .map((r) => `${r.period} ${r.start}`)
        .filter((m) => m !== `month ${first.start}`),
    );
    const { reports } = (await (
      await server.fetch('/api/v1/reports', { headers: { cookie: await server.login() } })
    ).json()) as { reports: { generatedBy: string }[] };
    expect(reports.length).toBe(made.length + 1);
    expect(reports.every((r) => r.generatedBy === 'scheduler')).toBe(true);
  }, 300_000);
});
