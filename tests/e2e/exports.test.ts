/**
 * Exports from the wall in real Chromium at 1920×1080 against the real server: a wall nobody
 * touches shows no export buttons; a pointer brings them; a panel's PNG is the panel at its
 * design size, the dashboard's PNG the whole 1920×1080 surface even on a smaller window, the map's
 * PNG holds its Leaflet canvas; a ranking comes out as an Excel file whose figures are numbers.
 * The PNGs are kept in tests/e2e/artifacts/exports-*.png for a person to look at.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from '../helpers/browser.js';
import { startServer, type RunningServer } from '../helpers/server.js';

/** Generous: a cold chdb start plus backfill on a shared 2-core machine; no assertion is about speed. */
const LIVE_TIMEOUT_MS = 120_000;
const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

let server: RunningServer | undefined;
let browser: Browser | undefined;
let wallToken = '';
const errors: string[] = [];

async function open(dashboard: string, size = { width: 1920, height: 1080 }): Promise<Page> {
  if (!browser || !server) throw new Error('setup did not run');
  const page = await openPage(browser, size, { label: dashboard, into: errors }, { acceptDownloads: true });
  await page.goto(`${server.url}/?token=${wallToken}&dashboard=${dashboard}`);
  return page;
}

/** Opens a menu, picks an item, and saves what it downloads under artifacts/; answers the file. */
async function exportFrom(page: Page, menu: string, item: string, name: string) {
  await page.locator(`${menu} [data-export-open]`).click();
  // The menu open, for a person to look at (a touch-sized list under the panel's title).
  await page.screenshot({ path: `${ARTIFACTS}${name.replace(/\.\w+$/, '')}-menu.png` });
  const [download] = await Promise.all([
    // A picture of the map takes a while on a loaded machine; generous, never an assertion about speed.
    page.waitForEvent('download', { timeout: LIVE_TIMEOUT_MS }).catch(async (error: unknown) => {
      const refusal = await page
        .locator(`${menu} [data-export-error]`)
        .textContent()
        .catch(() => null);
      throw new Error(`no download from ${menu} ${item}: ${refusal ?? String(error)}`);
    }),
    page.locator(`${menu} [data-export="${item}"]`).click(),
  ]);
  const path = `${ARTIFACTS}${name}`;
  await download.saveAs(path);
  return { path, suggested: download.suggestedFilename() };
}

const pngSize = (path: string) => {
  const png = PNG.sync.read(readFileSync(path));
  return { width: png.width, height: png.height, png };
};

/** Layout size of an element in design pixels (the surface's transform does not count). */
const designSize = (page: Page, selector: string) =>
  page.locator(selector).evaluate((el) => {
    // offsetWidth/Height: the layout size, which the surface's scale transform does not change.
    const box = el as unknown as { offsetWidth: number; offsetHeight: number };
    return { width: box.offsetWidth, height: box.offsetHeight };
  });

beforeAll(async () => {
  server = await startServer({ env: { BACKFILL_SCALE: '0.05' } });
  wallToken = (await server.createToken({ role: 'wall', label: 'e2e exports' })).token;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('exports from the wall', () => {
  it('shows no buttons until someone is at the screen, then exports a ranking panel as PNG and Excel', async () => {
    const page = await open('evaluation');
    await expect
      .poll(() => page.locator('[data-panel="institutes"] [data-rank-id]').count(), { timeout: LIVE_TIMEOUT_MS })
      .toBeGreaterThan(0);
    // Nobody has touched this wall: not a single export button on it.
    expect(await page.locator('[data-export-menu]').count()).toBe(0);
    await page.mouse.move(960, 540);
    await expect.poll(() => page.locator('[data-panel] [data-export-menu]').count()).toBe(6);
    expect(await page.locator('.wall-export[data-export-menu]').count()).toBe(1);

    const panel = await exportFrom(page, '[data-panel="institutes"]', 'png', 'exports-panel-institutes.png');
    expect(panel.suggested).toMatch(/^双流区_.+_全区_\d{8}-\d{4}\.png$/);
    const { width, height } = pngSize(panel.path);
    expect({ width, height }).toEqual(await designSize(page, '[data-panel="institutes"]'));

    const sheet = await exportFrom(page, '[data-panel="institutes"]', 'evaluation.xlsx', 'exports-institutes.xlsx');
    expect(sheet.suggested).toMatch(/\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(sheet.path);
    const ws = book.worksheets[0];
    expect(ws?.getRow(3).values).toEqual([undefined, '范围', '全区']);
    // Rank 1 first, its score a number cell.
    // Seven header lines (the evaluation's weights the seventh), a blank row, the column titles.
    const titles = ws?.getRow(9).values as unknown[];
    expect(titles.slice(1, 5)).toEqual(['排名', '编号', '名称', '得分']);
    expect(ws?.getRow(10).getCell(1).value).toBe(1);
    expect(typeof ws?.getRow(10).getCell(4).value).toBe('number');

    const whole = await exportFrom(page, '.wall-export', 'png', 'exports-dashboard-evaluation.png');
    expect(pngSize(whole.path)).toMatchObject({ width: 1920, height: 1080 });
    await page.close();
  });

  it("takes the map panel's Leaflet canvas into its PNG, and the whole surface at 1920×1080 from a smaller window", async () => {
    const page = await open('command-center', { width: 1280, height: 720 });
    await expect
      .poll(async () => Number(await page.locator('.map[data-nodes]').getAttribute('data-nodes')), {
        timeout: LIVE_TIMEOUT_MS,
      })
      .toBeGreaterThan(0);
    await page.mouse.move(640, 360);
    const map = await exportFrom(page, '[data-panel="map"]', 'png', 'exports-panel-map.png');
    const { width, height, png } = pngSize(map.path);
    expect({ width, height }).toEqual(await designSize(page, '[data-panel="map"]'));
    // The nodes are canvas dots: some of the map's pixels are bright (a blank clone would be the dark backdrop only).
    let bright = 0;
    for (let i = 0; i < png.data.length; i += 4 * 97)
      if ((png.data[i] ?? 0) + (png.data[i + 1] ?? 0) > 300) bright += 1;
    expect(bright).toBeGreaterThan(50);
    const whole = await exportFrom(page, '.wall-export', 'png', 'exports-dashboard-command-center.png');
    expect(pngSize(whole.path)).toMatchObject({ width: 1920, height: 1080 });
    await page.close();
  });

  it('logged no errors', () => {
    expect(errors).toEqual([]);
  });
});
