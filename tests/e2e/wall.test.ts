/**
 * The wall in real Chromium against the real server (simulator on), opened as a wall screen is:
 * once with its token in the URL. The map draws the whole network, a KPI tile moves live, nothing
 * is logged as an error, and screenshots at 1080p and 4K land in tests/e2e/artifacts for a human
 * to look at. A screen without a token says so (and offers people a login); a wall with its token
 * survives a server restart without anyone touching it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Network } from '../../shared/network.js';
import { launchBrowser, openPage, screenshot } from '../helpers/browser.js';
import { startServer, TEST_ADMIN_PASSWORD, type RunningServer } from '../helpers/server.js';

/** Generous: a cold chdb start plus backfill on a 2-core machine; no assertion is about speed. */
const LIVE_TIMEOUT_MS = 120_000;

let server: RunningServer | undefined;
let browser: Browser | undefined;
let wallToken = '';
const errors: string[] = [];

/** A new browser context (empty localStorage), opened at `path` — by default the wall's token URL. */
async function openWall(width: number, height: number, path = `/?token=${wallToken}`): Promise<Page> {
  if (!browser || !server) throw new Error('setup did not run');
  const page = await openPage(browser, { width, height }, { label: `${width}x${height}`, into: errors });
  await page.goto(`${server.url}${path}`);
  return page;
}

const connectionState = (page: Page) => page.locator('[data-connection]').getAttribute('data-state');

/** Waits until the map has drawn its nodes and a KPI tile shows a figure; returns the node count. */
async function waitForWall(page: Page): Promise<number> {
  await expect
    .poll(async () => Number(await page.locator('[data-nodes]').getAttribute('data-nodes')), {
      timeout: LIVE_TIMEOUT_MS,
    })
    .toBeGreaterThan(0);
  await expect
    .poll(() => page.locator('[data-kpi="checkinsToday"]').textContent(), { timeout: LIVE_TIMEOUT_MS })
    .toMatch(/\d/);
  return Number(await page.locator('[data-nodes]').getAttribute('data-nodes'));
}

describe('wall display', () => {
  beforeAll(async () => {
    server = await startServer({ env: { SIMULATOR_RATE: '20' } });
    wallToken = (await server.createToken({ role: 'wall', label: 'e2e wall' })).token;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('draws the network, updates KPIs live and logs no errors (1920×1080)', async () => {
    const page = await openWall(1920, 1080);
    const drawn = await waitForWall(page);
    // The token left the address bar (screenshots, kiosk bars) for the screen's storage.
    expect(page.url()).not.toContain(wallToken);
    expect(await page.evaluate("localStorage.getItem('wmsj.wallToken')")).toBe(wallToken);

    const network = (await (
      await fetch(`${server?.url}/api/network`, { headers: { authorization: `Bearer ${wallToken}` } })
    ).json()) as Network;
    expect(drawn).toBe(network.nodes.length);
    await expect.poll(() => page.locator('[data-count="center"]').textContent()).toBe('1');

    const number = page.locator('[data-kpi="checkinsToday"]');
    const first = await number.textContent();
    await expect.poll(() => number.textContent(), { timeout: LIVE_TIMEOUT_MS, interval: 250 }).not.toBe(first);
    await expect.poll(() => connectionState(page)).toBe('connected');

    // The surface is scaled, never scrolled.
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    expect(await page.evaluate('document.documentElement.scrollHeight <= window.innerHeight')).toBe(true);

    await screenshot(page, 'wall-1920x1080');
    await page.close();
    expect(errors, JSON.stringify(errors)).toEqual([]);
  });

  it('renders at 3840×2160 without errors', async () => {
    const page = await openWall(3840, 2160);
    await waitForWall(page);
    // Let the charts' entry animations finish so the screenshot shows the settled wall.
    await page.waitForTimeout(1500);
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await screenshot(page, 'wall-3840x2160');
    await page.close();
    expect(errors, JSON.stringify(errors)).toEqual([]);
  });
  it("shows the county's clock and date on a screen whose system runs on UTC", async () => {
    if (!browser || !server) throw new Error('setup did not run');
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, timezoneId: 'UTC' });
    await page.goto(`${server.url}/?token=${wallToken}`);
    await waitForWall(page);
    // The county is 8 hours ahead of the screen's zone: its hour and day, not the screen's, show.
    const county = (ms: number) =>
      new Intl.DateTimeFormat('en-CA', {
        timeZone: 'Asia/Shanghai',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        hourCycle: 'h23',
      }).format(ms);
    await expect
      .poll(async () => {
        const clock = (await page.locator('header .clock').textContent()) ?? '';
        const date = (await page.locator('header .date span').first().textContent()) ?? '';
        return `${date}, ${clock.slice(0, 2)}`;
      })
      .toBe(county(Date.now()));
    await page.close();
  });

  it('tells a screen without a token that it is not authorized, and lets a person log in', async () => {
    if (!browser || !server) throw new Error('setup did not run');
    // Its own page and error list: the refused requests are expected to log.
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 });
    await page.goto(`${server.url}/`);
    const banner = page.locator('[data-connection-banner="unauthorized"]');
    await expect.poll(() => banner.textContent(), { timeout: LIVE_TIMEOUT_MS }).toContain('此屏幕未授权');
    expect(await banner.textContent()).toContain('请使用带令牌的地址打开');
    expect(await connectionState(page)).toBe('unauthorized');
    await screenshot(page, 'wall-unauthorized');

    await page.fill('[data-login] input[name="username"]', 'admin');
    await page.fill('[data-login] input[name="password"]', TEST_ADMIN_PASSWORD);
    await page.click('[data-login] button[type="submit"]');
    await expect.poll(() => connectionState(page), { timeout: LIVE_TIMEOUT_MS }).toBe('connected');
    expect(await page.locator('[data-login]').count()).toBe(0);
    await page.close();
  });

  it('keeps a wall live across a server restart and a browser reload, with no login', async () => {
    if (!server) throw new Error('setup did not run');
    const page = await openWall(1920, 1080);
    await waitForWall(page);
    const { dataDir, port } = server;
    await server.stop();
    await expect.poll(() => connectionState(page), { timeout: LIVE_TIMEOUT_MS }).toBe('disconnected');
    server = await startServer({ dataDir, port, env: { SIMULATOR_RATE: '20' } });
    await expect.poll(() => connectionState(page), { timeout: LIVE_TIMEOUT_MS }).toBe('connected');
    // A kiosk restarted on the plain address: the stored token opens it again.
    await page.goto(`${server.url}/`);
    await expect.poll(() => connectionState(page), { timeout: LIVE_TIMEOUT_MS }).toBe('connected');
    expect(await page.locator('[data-login]').count()).toBe(0);
    await page.close();
  });
});
