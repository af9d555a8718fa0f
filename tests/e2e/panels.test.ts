/**
 * The panels' content in real Chromium against the real server (a small history, simulator on):
 * the evaluation dashboard's rankings, brand list, trend and media lists fill with data; KPI tiles
 * show their day-over-day change; nothing is logged as an error. Screenshots at 1920×1080 go to
 * tests/e2e/artifacts/panels-*.png for a person to look at.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot } from '../helpers/browser.js';
import { startServer, type RunningServer } from '../helpers/server.js';

/** Generous: a cold chdb start plus backfill on a shared 2-core machine; no assertion is about speed. */
const LIVE_TIMEOUT_MS = 120_000;

let server: RunningServer | undefined;
let browser: Browser | undefined;
let wallToken = '';
const errors: string[] = [];

async function open(dashboard: string, extra = ''): Promise<Page> {
  if (!browser || !server) throw new Error('setup did not run');
  const page = await openPage(browser, { width: 1920, height: 1080 }, { label: dashboard, into: errors });
  await page.goto(`${server.url}/?token=${wallToken}&dashboard=${dashboard}${extra}`);
  return page;
}

const count = (page: Page, selector: string) => page.locator(selector).count();

beforeAll(async () => {
  server = await startServer({ env: { SIMULATOR_RATE: '20', BACKFILL_SCALE: '0.05' } });
  wallToken = (await server.createToken({ role: 'wall', label: 'e2e panels' })).token;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('panel content', () => {
  it('the evaluation dashboard ranks 所, 站 and brands and lists the practice activities read most', async () => {
    const page = await open('evaluation');
    const poll = (selector: string) =>
      expect.poll(() => count(page, selector), { timeout: LIVE_TIMEOUT_MS }).toBeGreaterThan(0);
    await poll('[data-evaluation="institute:month"] [data-rank-id]');
    await poll('[data-evaluation="station:month"] [data-rank-id]');
    await poll('[data-brands] [data-rank-id]');
    await poll('[data-activity]');
    // At most the nine towns of Shuangliu (a town with nothing this month is left out), from rank 1.
    expect(await count(page, '[data-evaluation="institute:month"] [data-rank-id]')).toBeLessThanOrEqual(9);
    const first = page.locator('[data-evaluation="institute:month"] [data-rank]').first();
    expect(await first.getAttribute('data-rank')).toBe('1');
    // Every brand that has published (all 128 at full scale; most of them in this small history),
    // and how many of them held an activity this month (issue 14.8).
    await expect
      .poll(() => page.locator('[data-brand-count]').textContent(), { timeout: LIVE_TIMEOUT_MS })
      .toMatch(/^\d+ 个品牌，本月 \d+ 个有活动 · 按/);
    const [total = 0, active = 0] =
      ((await page.locator('[data-brand-count]').textContent()) ?? '').match(/\d+/g)?.map(Number) ?? [];
    expect(total).toBeGreaterThan(100);
    expect(active).toBeLessThanOrEqual(total);
    await poll('[data-change="checkinsToday"]');
    await page.waitForTimeout(1_500); // let the rolling digits and bars settle for the picture
    await screenshot(page, 'panels-evaluation-1920x1080', { animations: 'disabled' });
    await page.close();
  });

  // The leadership wall has every panel type of this work and no map: the map's own tests cover
  // the command center, whose coverage layer can hold the page's main thread for a while.
  it('the leadership wall shows tiles with their change, trend, gauge with target and media', async () => {
    for (const dashboard of ['leadership']) {
      const page = await open(dashboard);
      await expect
        .poll(() => count(page, '[data-change="checkinsToday"]'), { timeout: LIVE_TIMEOUT_MS })
        .toBeGreaterThan(0);
      await expect.poll(() => count(page, '[data-category]'), { timeout: LIVE_TIMEOUT_MS }).toBe(3);
      await expect.poll(() => count(page, '[data-target]'), { timeout: LIVE_TIMEOUT_MS }).toBeGreaterThan(0);
      await page.waitForTimeout(1_500);
      await screenshot(page, `panels-${dashboard}-1920x1080`, { animations: 'disabled' });
      await page.close();
    }
    expect(errors).toEqual([]);
  });
});
