/**
 * Every shipped dashboard in real Chromium against the real server (simulator on): it renders at
 * 1920×1080, 3840×2160 and 1366×768 with every panel's data arrived, nothing logged as an error, no
 * panel's content past its frame and no two labels of a chart on each other (tests/e2e/layout-probe.ts),
 * and again watching a town and a point (screenshots in tests/e2e/artifacts, named by dashboard and
 * size or scope); emergency
 * mode reaches an open wall (the time is measured and reported) and reverting restores its
 * layout; a rotation switches dashboards by itself and pauses on space.
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idOf, isDashboardFile } from '../../server/dashboards/loader.js';
import type { Dashboard } from '../../shared/dashboard.js';
import type { Network } from '../../shared/network.js';
import { launchBrowser, openPage, screenshot } from '../helpers/browser.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { LAYOUT_PROBE } from './layout-probe.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Generous: a cold chdb start plus backfill on a shared 2-core machine; no assertion is about speed. */
const LIVE_TIMEOUT_MS = 120_000;
/** Every dashboard the product ships: a new file is rendered here without editing this test. */
const DASHBOARDS = readdirSync(`${ROOT}dashboards`).filter(isDashboardFile).sort().map(idOf);
/** The first size loads the page; the others resize the same window (the surface rescales live). */
const SIZES = [
  [1920, 1080],
  [3840, 2160],
  [1366, 768],
] as const;

let server: RunningServer | undefined;
let browser: Browser | undefined;
let wallToken = '';
/** A town, and a point inside it, to watch. */
let town = 'I03';
let point = '';
const errors: string[] = [];
/** What the layout probe found, by dashboard and size. */
const layout: string[] = [];

/**
 * Lets the page settle, then probes the layout and takes the screenshot. A page whose data just
 * arrived runs its entry animations (the KPI digits rise for 1.6 s: the wait is for the picture; the
 * probe below tolerates a moment's overlap either way); a resized one only redraws at the new size.
 */
async function inspect(page: Page, name: string, settleMs = 1500): Promise<void> {
  await page.waitForTimeout(settleMs);
  // The surface is scaled, never scrolled.
  expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  expect(await page.evaluate('document.documentElement.scrollHeight <= window.innerHeight')).toBe(true);
  // A live chart animates each update (the trend's axis rescales as a minute's count arrives);
  // mid-animation its labels can cross for a moment. What stays crossed over ten probes half a
  // second apart is a layout defect; what clears was a frame of an animation.
  let found: string[] = [];
  for (let probe = 0; probe < 10; probe++) {
    found = await page.evaluate<string[]>(LAYOUT_PROBE);
    if (found.length === 0) break;
    await page.waitForTimeout(500);
  }
  layout.push(...found.map((f) => `${name}: ${f}`));
  await screenshot(page, `dashboard-${name}`);
}

async function openWall(width: number, height: number, query: string): Promise<Page> {
  if (!browser || !server) throw new Error('setup did not run');
  const page = await openPage(browser, { width, height }, { label: `${query} ${width}x${height}`, into: errors });
  await page.goto(`${server.url}/?token=${wallToken}&${query}`);
  return page;
}

/**
 * The dashboard on screen now, or null between two: read at once, never waiting for the element
 * (a locator would wait up to its own 30 s for a dashboard still mounting, outliving a poll's turn).
 */
const shown = (page: Page) =>
  page.evaluate<string | null>(`document.querySelector('[data-dashboard]')?.getAttribute('data-dashboard') ?? null`);

/** Waits until `id` (or ids side by side, "a,b") is on screen with all its panels, each showing its data's age (data arrived). */
async function waitForDashboard(page: Page, id: string): Promise<void> {
  const definitions = await Promise.all(
    id.split(',').map(async (one) => JSON.parse(await readFile(`${ROOT}dashboards/${one}.json`, 'utf8')) as Dashboard),
  );
  await expect.poll(() => shown(page), { timeout: LIVE_TIMEOUT_MS }).toBe(id);
  await expect
    .poll(() => page.locator('[data-panel]').count(), { timeout: LIVE_TIMEOUT_MS })
    .toBe(definitions.reduce((sum, d) => sum + d.panels.length, 0));
  // Named, so a failure says which panel never got its data.
  // Read in one go: a panel whose data lands between listing and reading would otherwise vanish
  // from under the locator (three dashboards side by side made that likely).
  const waiting = () =>
    page.evaluate<string[]>(
      `[...document.querySelectorAll('[data-panel]:has([data-fresh-age=""])')].map((p) => p.getAttribute('data-panel'))`,
    );

  await expect.poll(waiting, { timeout: LIVE_TIMEOUT_MS, interval: 500 }).toEqual([]);
}

/** Switches emergency mode with an admin session taken beforehand, so the timing is the switch's alone. */
const emergency = async (cookie: string, body: object) => {
  if (!server) throw new Error('setup did not run');
  const response = await fetch(`${server.url}/api/v1/emergency`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
};

describe('dashboards in Chromium', () => {
  beforeAll(async () => {
    server = await startServer({ env: { SIMULATOR_RATE: '20' } });
    wallToken = (await server.createToken({ role: 'wall', label: 'e2e dashboards' })).token;
    browser = await launchBrowser();
    const network = (await (
      await fetch(`${server.url}/api/network`, { headers: { authorization: `Bearer ${wallToken}` } })
    ).json()) as Network;
    const inTown = network.nodes.find((n) => n.level === 'point' && n.instituteId === town && n.parentId !== town);
    if (!inTown) throw new Error(`no point under a station of ${town}`);
    town = inTown.instituteId ?? town;
    point = inTown.id;
  }, LIVE_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const id of DASHBOARDS) {
    it(
      `renders ${id} at 1920×1080, 3840×2160 and 1366×768, and at a town and a point, every panel's content inside its frame`,
      async () => {
        const [[width, height], ...others] = SIZES;
        const page = await openWall(width, height, `dashboard=${id}`);
        await waitForDashboard(page, id);
        await inspect(page, `${id}-${width}x${height}`);
        for (const [w, h] of others) {
          await page.setViewportSize({ width: w, height: h });
          await inspect(page, `${id}-${w}x${h}`, 300);
        }
        await page.close();
        for (const [scope, name] of [
          [town, 'town'],
          [point, 'point'],
        ] as const) {
          const scoped = await openWall(width, height, `dashboard=${id}&scope=${scope}`);
          await waitForDashboard(scoped, id);
          await expect.poll(() => new URL(scoped.url()).searchParams.get('scope')).toBe(scope);
          await inspect(scoped, `${id}-${name}`);
          await scoped.close();
        }
        expect(errors).toEqual([]);
        expect(layout).toEqual([]);
      },
      6 * LIVE_TIMEOUT_MS,
    );
  }

  it(
    'lays three dashboards side by side on a spliced 5760×1080 wall, and fills it in full mode, one scale on both axes',
    async () => {
      // The surface's CSS transform: matrix(a, b, c, d, e, f), a the x scale and d the y scale.
      const factors = async (page: Page) => {
        const m = await page.evaluate<string>(`getComputedStyle(document.querySelector('.surface')).transform`);
        const [a = NaN, , , d = NaN] = (/matrix\((.*)\)/.exec(m)?.[1] ?? '').split(',').map(Number);
        return { a, d };
      };
      // A town's status ring on the map is a circle: drawn as wide as it is tall.
      const ringAspect = (page: Page) =>
        page.evaluate<number>(
          `(() => { const r = document.querySelector('.town-ring svg').getBoundingClientRect(); return r.width / r.height; })()`,
        );
      const ids = 'command-center,leadership,evaluation';
      const page = await openWall(5760, 1080, `dashboards=${ids}`);
      await waitForDashboard(page, ids);
      expect(await factors(page)).toEqual({ a: 1, d: 1 });
      // Each dashboard at its own design width (1920 less the wall's margins), side by side.
      const widths = await page.evaluate<number[]>(
        `[...document.querySelectorAll('[data-part]')].map((e) => Math.round(e.clientWidth))`,
      );
      expect(widths).toEqual([1884, 1884, 1884]);
      expect(await ringAspect(page)).toBeCloseTo(1, 2);
      await inspect(page, 'beside-5760x1080');
      await page.close();

      // One 1920×1080 dashboard in full mode: laid out 5760 wide, not stretched (it was scale(3, 1)).
      const full = await openWall(5760, 1080, 'dashboard=command-center&scale=full');
      await waitForDashboard(full, 'command-center');
      expect(await factors(full)).toEqual({ a: 1, d: 1 });
      expect(await ringAspect(full)).toBeCloseTo(1, 2);
      await inspect(full, 'command-center-full-5760x1080');
      await full.close();
      expect(errors).toEqual([]);
      expect(layout).toEqual([]);
    },
    4 * LIVE_TIMEOUT_MS,
  );

  it(
    'switches an open wall to emergency mode and back to its own layout',
    async () => {
      const page = await openWall(1920, 1080, 'dashboard=leadership');
      await waitForDashboard(page, 'leadership');
      const cookie = await server?.login();
      if (!cookie) throw new Error('setup did not run');
      const sentAt = Date.now();
      await emergency(cookie, { active: true, message: '防汛应急响应：各所、站按预案集结' });
      await page.locator('[data-emergency]').waitFor({ timeout: 10_000 });
      await expect.poll(() => shown(page), { interval: 20 }).toBe('emergency');
      const reachedMs = Date.now() - sentAt;
      // A figure to read, not a threshold: timing on a shared machine is no test of correctness.
      console.info(`emergency mode reached the open wall ${reachedMs} ms after the POST was sent`);
      expect(await page.locator('[data-emergency-message]').textContent()).toContain('防汛应急响应');
      await waitForDashboard(page, 'emergency');
      await screenshot(page, 'dashboard-emergency-mode-1920x1080');

      // A wall opened during the emergency shows it from the start.
      const late = await openWall(1920, 1080, 'dashboard=command-center');
      await expect.poll(() => shown(late), { timeout: LIVE_TIMEOUT_MS }).toBe('emergency');
      await late.close();

      await emergency(cookie, { active: false });
      await expect.poll(() => shown(page), { timeout: 5000 }).toBe('leadership');
      // The banner slides away (a 0.3 s transition).
      await expect.poll(() => page.locator('[data-emergency]').count()).toBe(0);
      await page.close();
      expect(errors).toEqual([]);
    },
    4 * LIVE_TIMEOUT_MS,
  );

  it(
    'rotates dashboards by itself and pauses on space',
    async () => {
      const page = await openWall(1920, 1080, 'rotate=command-center,leadership&dwell=5');
      await expect.poll(() => shown(page), { timeout: LIVE_TIMEOUT_MS }).toBe('command-center');
      await expect.poll(() => shown(page), { timeout: LIVE_TIMEOUT_MS, interval: 250 }).toBe('leadership');
      await expect.poll(() => shown(page), { timeout: LIVE_TIMEOUT_MS, interval: 250 }).toBe('command-center');
      await page.keyboard.press('Space');
      expect(await page.locator('[data-playlist]').getAttribute('data-paused')).toBe('true');
      await page.waitForTimeout(6500);
      expect(await shown(page)).toBe('command-center');
      await screenshot(page, 'dashboard-rotation-paused-1920x1080');
      await page.keyboard.press('Space');
      await expect.poll(() => shown(page), { timeout: LIVE_TIMEOUT_MS, interval: 250 }).toBe('leadership');
      await page.close();

      // The towns playlist cycles the town wall through every 所: the first is the first town.
      const towns = await openWall(1920, 1080, 'playlist=towns');
      await expect.poll(() => shown(towns), { timeout: LIVE_TIMEOUT_MS }).toBe('town');
      await expect.poll(() => new URL(towns.url()).searchParams.get('scope'), { timeout: LIVE_TIMEOUT_MS }).toBe('I01');
      await towns.close();
      expect(errors).toEqual([]);
    },
    4 * LIVE_TIMEOUT_MS,
  );
});
