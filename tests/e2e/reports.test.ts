/**
 * 权重 and 报告 in real Chromium against the real server: the admin edits a draft of the weights,
 * sees the ranking under the weights in force and under the draft side by side, is kept from
 * saving weights that do not add up to 100, saves the next version; makes last month's report and
 * finds it in the archive with its weights version and a download; a leader at /reports sees the
 * reports section only. Screenshots in tests/e2e/artifacts (reports-*.png).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastClosed } from '../../shared/report.js';
import { collectErrors, launchBrowser, screenshot } from '../helpers/browser.js';
import { startServer, TEST_ADMIN_PASSWORD, type RunningServer } from '../helpers/server.js';

const PASSWORD = 'a leader password';
let server: RunningServer;
let browser: Browser;
const errors: string[] = [];

async function loggedIn(path: string, username: string, password: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
  const page = collectErrors(await context.newPage(), username, errors, (text) => text.includes('401'));
  await page.goto(`${server.url}${path}`);
  await page.fill('[data-login] input[name="username"]', username);
  await page.fill('[data-login] input[name="password"]', password);
  await page.click('[data-login] button[type="submit"]');
  await page.locator('.admin[data-gate="ready"]').waitFor({ timeout: 60_000 });
  return page;
}

beforeAll(async () => {
  // The browser first: it builds the wall when the checkout has none, which the server then serves.
  browser = await launchBrowser(['--lang=zh-CN']);
  server = await startServer({ users: [{ username: 'leader', password: PASSWORD, role: 'leader' }] });
}, 300_000);
afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (server as RunningServer | undefined)?.stop();
});

describe('weights and reports in the console', () => {
  it('previews a draft of the weights beside the ranking in force, refuses one not adding up, saves the next version', async () => {
    const page = await loggedIn('/admin?section=weights', 'admin', TEST_ADMIN_PASSWORD);
    const form = page.locator('[data-weights-form]');
    await form.waitFor();
    expect(await page.locator('[data-weights]').getAttribute('data-version')).toBe('0');
    // Rows of the preview: the 9 所 under both weights.
    await expect.poll(() => page.locator('[data-weights-preview] tbody tr').count()).toBe(9);
    await form.locator('input[name="activities"]').fill('0');
    await form.locator('input[name="participants"]').fill('0');
    await form.locator('input[name="mediaReads"]').fill('50');
    expect(await page.locator('[data-sum]').textContent()).toContain('合计 95');
    expect(await form.locator('button[type="submit"]').isDisabled()).toBe(true);
    await form.locator('input[name="serviceHours"]').fill('25');
    expect(await page.locator('[data-sum]').textContent()).toContain('合计 100');
    // Ranks move under reads-heavy weights (the seed's towns differ in reach and in activity).
    await expect
      .poll(() => page.locator('[data-weights-preview] [data-moved]:not(:text("—"))').count())
      .toBeGreaterThan(0);
    await screenshot(page, 'reports-weights-preview-1920x1080');
    await form.locator('input[name="note"]').fill('联席会议决定');
    await form.locator('button[type="submit"]').click();
    await expect.poll(() => page.locator('[data-weights]').getAttribute('data-version')).toBe('1');
    expect(await page.locator('[data-weights-version]').count()).toBe(2);
    await screenshot(page, 'reports-weights-saved-1920x1080');
    await page.context().close();
  }, 120_000);

  it('makes last month’s report with the new weights and lists it with a download', async () => {
    const page = await loggedIn('/admin?section=reports', 'admin', TEST_ADMIN_PASSWORD);
    const month = lastClosed('month', Date.now());
    const form = page.locator('[data-reports-form] form');
    await form.waitFor();
    expect(await form.locator('select[name="start"]').inputValue()).toBe(month.start);
    await form.locator('button[type="submit"]').click();
    const row = page.locator('[data-reports] tr[data-report]').first();
    await row.waitFor({ timeout: 120_000 });
    expect(await row.getAttribute('data-report')).toMatch(new RegExp(`^month-${month.start}-district-`));
    expect(await row.textContent()).toContain('v1');
    const href = await row.locator('[data-download]').getAttribute('href');
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const pdf = await fetch(`${server.url}${href ?? ''}`, { headers: { cookie } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    await screenshot(page, 'reports-archive-1920x1080');
    await page.context().close();
  }, 180_000);

  it('a leader at /reports gets the reports section alone', async () => {
    const page = await loggedIn('/reports', 'leader', PASSWORD);
    await page.locator('[data-reports]').waitFor();
    expect(await page.locator('header nav [data-section]').count()).toBe(1);
    await expect.poll(() => page.locator('[data-reports] tr[data-report]').count()).toBe(1);
    await screenshot(page, 'reports-leader-1920x1080');
    await page.context().close();
    expect(errors).toEqual([]);
  }, 120_000);
});
