/**
 * The map in real Chromium against the real server (simulator on): a click on a town drills the
 * wall into it — breadcrumb, URL and the KPI tiles follow — a node opens its popup with its
 * 文明实践码 as a QR code, an ingested appeal shows on the heat layer, and the 500 m coverage KPI
 * shows. Screenshots at 1920×1080 and 3840×2160 land in tests/e2e/artifacts.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Network, NetworkNode } from '../../shared/network.js';
import { launchBrowser, openPage, screenshot } from '../helpers/browser.js';
import { appealReceived, checkin } from '../helpers/events.js';
import { startServer, type RunningServer } from '../helpers/server.js';

const LIVE_TIMEOUT_MS = 120_000;

let server: RunningServer | undefined;
let browser: Browser | undefined;
let wallToken = '';
let network: Network;
const errors: string[] = [];

async function openWall(width: number, height: number, query = ''): Promise<Page> {
  if (!browser || !server) throw new Error('setup did not run');
  const page = await openPage(browser, { width, height }, { label: `${width}x${height}`, into: errors });
  await page.goto(`${server.url}/?token=${wallToken}${query}`);
  await expect
    .poll(async () => Number(await page.locator('[data-nodes]').getAttribute('data-nodes')), {
      timeout: LIVE_TIMEOUT_MS,
    })
    .toBeGreaterThan(0);
  await expect
    .poll(() => page.locator('[data-kpi="registeredVolunteers"]').first().textContent(), { timeout: LIVE_TIMEOUT_MS })
    .toMatch(/\d/);
  await expect
    .poll(() => page.locator('[data-kpi="coverage"]').textContent(), { timeout: LIVE_TIMEOUT_MS })
    .toMatch(/\d+\.\d/);
  return page;
}

/** Clicks where the map draws a node (the map element's test hook projects it). */
async function clickNode(page: Page, node: NetworkNode): Promise<void> {
  const map = page.locator('.map[data-nodes]').first();
  const at = await map.evaluate(
    (el, [lat, lon]) =>
      (el as unknown as { wmsjProject(a: number, b: number): { x: number; y: number } }).wmsjProject(
        lat ?? 0,
        lon ?? 0,
      ),
    [node.lat, node.lon],
  );
  await map.click({ position: at, force: true });
}

/** Whether the node card covers any card pinned over the map (the 500 m, 实时状态, legend, controls). */
const popupCoversACard = (page: Page) =>
  page.evaluate(`(() => {
    const popup = document.querySelector('[data-node-popup]').getBoundingClientRect();
    return [...document.querySelectorAll('[data-map-card]')].some((card) => {
      const r = card.getBoundingClientRect();
      return popup.left < r.right && r.left < popup.right && popup.top < r.bottom && r.top < popup.bottom;
    });
  })()`);
/** The popup's rows (its parent's long name, its figures) that reach past its content box into the padding. */
const popupOverflow = (page: Page) =>
  page.evaluate<string[]>(`(() => {
    const box = document.querySelector('[data-node-popup]');
    const right = box.getBoundingClientRect().right - parseFloat(getComputedStyle(box).paddingRight);
    return [...box.querySelectorAll('dd')]
      .filter((dd) => dd.getBoundingClientRect().right > right + 0.5)
      .map((dd) => dd.textContent);
  })()`);
const legendCount = (page: Page, level: string) => page.locator(`[data-count="${level}"]`).first().textContent();

const kpi = (page: Page, key: string) => page.locator(`[data-kpi="${key}"]`).first().textContent();
const heatPoints = async (page: Page) =>
  Number(await page.locator('[data-heat-points]').first().getAttribute('data-heat-points'));

describe('wall map', () => {
  beforeAll(async () => {
    server = await startServer({ env: { SIMULATOR_RATE: '20' } });
    wallToken = (await server.createToken({ role: 'wall', label: 'e2e map' })).token;
    network = (await (
      await fetch(`${server.url}/api/network`, { headers: { authorization: `Bearer ${wallToken}` } })
    ).json()) as Network;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('drills district → town → station → point on clicks: breadcrumb, URL and KPI tiles follow; a node opens its QR popup', async () => {
    const page = await openWall(1920, 1080);
    await page.waitForTimeout(1000);
    await screenshot(page, 'map-district-1920x1080');
    const districtVolunteers = await kpi(page, 'registeredVolunteers');
    const districtCoverage = await page.locator('[data-kpi="coverage"]').textContent();
    expect(await page.locator('[data-breadcrumb]').getAttribute('data-depth')).toBe('1');

    const town = network.nodes.find((n) => n.level === 'institute' && n.id === 'I02');
    if (!town) throw new Error('no I02');
    await clickNode(page, town);
    await expect.poll(() => page.locator('[data-breadcrumb]').getAttribute('data-depth')).toBe('2');
    await expect.poll(() => new URL(page.url()).searchParams.get('scope')).toBe('I02');
    await expect
      .poll(() => kpi(page, 'registeredVolunteers'), { timeout: LIVE_TIMEOUT_MS })
      .not.toBe(districtVolunteers);
    await expect
      .poll(() => page.locator('[data-kpi="coverage"]').textContent(), { timeout: LIVE_TIMEOUT_MS })
      .not.toBe(districtCoverage);

    // The legend and the 阵地体系 bars count the town, not the district (they read 1/9/118/341).
    const inTown = (level: string) => network.nodes.filter((n) => n.level === level && n.instituteId === 'I02').length;
    await expect.poll(() => legendCount(page, 'station')).toBe(String(inTown('station')));
    expect(await legendCount(page, 'point')).toBe(String(inTown('point')));
    expect(await page.locator('[data-count="center"]').count()).toBe(0);
    const townName = network.towns.features
      .map((f) => (f as { properties?: Record<string, unknown> }).properties)
      .find((p) => p?.['instituteId'] === 'I02')?.['name'];
    expect(typeof townName).toBe('string');
    expect(await page.locator('[data-network-caption]').textContent()).toContain(String(townName));
    expect(await popupCoversACard(page)).toBe(false);
    await screenshot(page, 'map-town-1920x1080');

    // The 所's own card opened with the drill; close it so it does not cover the town's stations.
    await expect.poll(() => page.locator(`[data-node-popup][data-node="${town.id}"]`).count()).toBe(1);
    await page.locator('[data-node-popup] .close').click();
    // A station of the town: drills one level further and opens its card with the QR code.
    // A station of I02 with points of its own, to drill through every level.
    const station = network.nodes.find(
      (s) => s.level === 'station' && s.instituteId === 'I02' && network.nodes.some((p) => p.parentId === s.id),
    );
    const point = network.nodes.find((n) => n.level === 'point' && n.parentId === station?.id);
    if (!station || !point) throw new Error('no station with points in I02');
    await clickNode(page, station);
    await expect.poll(() => page.locator('[data-breadcrumb]').getAttribute('data-depth')).toBe('3');
    await expect.poll(() => page.locator(`[data-node-popup][data-node="${station.id}"]`).count()).toBe(1);
    await expect
      .poll(() => page.locator('[data-node-popup] img[data-qr]').getAttribute('src'))
      .toMatch(/^data:image\/png/);
    await page.waitForTimeout(800);
    expect(await popupCoversACard(page)).toBe(false);
    // A station's parent is a 所 with a long name: it is cut with an ellipsis, the figures stay in.
    expect(await popupOverflow(page)).toEqual([]);
    await screenshot(page, 'map-station-1920x1080');

    // One of its points (点): the last level, shown among its station's nodes.
    const stationVolunteers = await kpi(page, 'registeredVolunteers');
    await page.locator('[data-node-popup] .close').click();
    await clickNode(page, point);
    await expect.poll(() => page.locator('[data-breadcrumb]').getAttribute('data-depth')).toBe('4');
    await expect.poll(() => new URL(page.url()).searchParams.get('scope')).toBe(point.id);
    await expect.poll(() => page.locator(`[data-node-popup][data-node="${point.id}"]`).count()).toBe(1);
    await expect
      .poll(() => kpi(page, 'registeredVolunteers'), { timeout: LIVE_TIMEOUT_MS })
      .not.toBe(stationVolunteers);
    // The scroll board starts afresh with the point's own lines: a check-in there shows, and no
    // line of the district's board from before the drill is left or still queued.
    if (!server) throw new Error('setup did not run');
    const here = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify([checkin({ nodeId: point.id })]),
    });
    expect(here.status).toBe(200);
    const feedNodes = () => page.locator('[data-feed] .row .node').allTextContents();
    await expect.poll(feedNodes, { timeout: LIVE_TIMEOUT_MS }).toContain(point.name);
    await page.waitForTimeout(2000);
    expect(new Set(await feedNodes())).toEqual(new Set([point.name]));
    // The 500 m card measures the point's station and says so (it read 0.0 % of 0/0), the map
    // frames the point among its neighbours, named, with a ring on it.
    await expect
      .poll(async () => Number(await page.locator('[data-coverage-total]').getAttribute('data-coverage-total')), {
        timeout: LIVE_TIMEOUT_MS,
      })
      .toBeGreaterThan(0);
    expect(await page.locator('[data-coverage-via]').textContent()).toContain(station.name.slice(0, 2));
    expect(await page.locator('.focus-ring').count()).toBe(1);
    expect(await page.locator('.node-name').count()).toBeGreaterThan(3);
    expect(await legendCount(page, 'point')).toBe('1');
    expect(await popupCoversACard(page)).toBe(false);
    await page.waitForTimeout(800);
    await screenshot(page, 'map-point-1920x1080');

    // The breadcrumb goes back to the district, and the URL forgets the scope.
    await page.locator('[data-crumb="center"]').click();
    await expect.poll(() => page.locator('[data-breadcrumb]').getAttribute('data-depth')).toBe('1');
    await expect.poll(() => new URL(page.url()).searchParams.get('scope')).toBeNull();
    await expect.poll(() => kpi(page, 'registeredVolunteers'), { timeout: LIVE_TIMEOUT_MS }).toBe(districtVolunteers);
    await page.close();
    expect(errors).toEqual([]);
  });

  it('keeps a scope given in the URL and shows an ingested appeal on the heat layer', async () => {
    if (!server) throw new Error('setup did not run');
    const page = await openWall(1920, 1080, '&scope=I03');
    await expect.poll(() => page.locator('[data-breadcrumb]').getAttribute('data-depth')).toBe('2');
    await page.locator('[data-heat-window="1h"]').click();
    await page.locator('[data-heat-source="appeals"]').click();
    await page.locator('[data-heat-category="complaint"]').click();
    await expect.poll(() => heatPoints(page), { timeout: LIVE_TIMEOUT_MS }).toBeGreaterThanOrEqual(0);
    const before = await heatPoints(page);

    const station = network.nodes.find((n) => n.level === 'station' && n.instituteId === 'I03');
    if (!station) throw new Error('no station in I03');
    // A spot of its own (~10 m grid cells are 100 m apart): it adds one heat point.
    const response = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify([
        appealReceived({
          nodeId: station.id,
          appealId: `AP-${randomUUID()}`,
          category: 'complaint',
          lat: station.lat + 0.0013,
          lon: station.lon + 0.0017,
        }),
      ]),
    });
    expect(response.status).toBe(200);
    await expect.poll(() => heatPoints(page), { timeout: LIVE_TIMEOUT_MS }).toBeGreaterThan(before);
    await page.close();
    expect(errors).toEqual([]);
  });

  it('renders the map at 3840×2160 without errors', async () => {
    const page = await openWall(3840, 2160);
    await page.waitForTimeout(1500);
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await screenshot(page, 'map-district-3840x2160');
    await page.close();
    expect(errors).toEqual([]);
  });
});
