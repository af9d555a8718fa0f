/**
 * The wall in real Chromium against the real server (simulator on): the map draws the whole
 * network, a KPI tile moves live, nothing is logged as an error, and screenshots at 1080p and 4K
 * land in tests/e2e/artifacts for a human to look at.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Network } from '../../shared/network.js';
import { startServer, type RunningServer } from '../helpers/server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Generous: a cold chdb start plus backfill on a 2-core machine; no assertion is about speed. */
const LIVE_TIMEOUT_MS = 120_000;

let server: RunningServer | undefined;
let browser: Browser | undefined;
const errors: string[] = [];

async function openWall(width: number, height: number): Promise<Page> {
  if (!browser || !server) throw new Error('setup did not run');
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`${width}x${height} console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`${width}x${height} page: ${err.message}`));
  await page.goto(`${server.url}/`);
  return page;
}

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
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing: run scripts/install-test-deps.sh`);
    // `npm test` builds the wall first; a lone `npm run test:e2e` on a fresh checkout needs it too.
    if (!existsSync(`${ROOT}dist/client/index.html`)) {
      await build({ configFile: `${ROOT}vite.config.ts`, logLevel: 'warn' });
    }
    await mkdir(ARTIFACTS, { recursive: true });
    server = await startServer({ env: { SIMULATOR_RATE: '20' } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('draws the network, updates KPIs live and logs no errors (1920×1080)', async () => {
    const page = await openWall(1920, 1080);
    const drawn = await waitForWall(page);

    const network = (await (await fetch(`${server?.url}/api/network`)).json()) as Network;
    expect(drawn).toBe(network.nodes.length);
    await expect.poll(() => page.locator('[data-count="center"]').textContent()).toBe('1');

    const number = page.locator('[data-kpi="checkinsToday"]');
    const first = await number.textContent();
    await expect.poll(() => number.textContent(), { timeout: LIVE_TIMEOUT_MS, interval: 250 }).not.toBe(first);
    await expect.poll(() => page.locator('[data-connection]').getAttribute('data-state')).toBe('connected');

    // The surface is scaled, never scrolled.
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    expect(await page.evaluate('document.documentElement.scrollHeight <= window.innerHeight')).toBe(true);

    await page.screenshot({ path: `${ARTIFACTS}wall-1920x1080.png` });
    await page.close();
    expect(errors).toEqual([]);
  });

  it('renders at 3840×2160 without errors', async () => {
    const page = await openWall(3840, 2160);
    await waitForWall(page);
    // Let the charts' entry animations finish so the screenshot shows the settled wall.
    await page.waitForTimeout(1500);
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}wall-3840x2160.png` });
    await page.close();
    expect(errors).toEqual([]);
  });
});
