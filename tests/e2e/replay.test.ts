/**
 * 回放 in real Chromium at 1920×1080 under a LAN host name, against the real server: a wall opened
 * with the replay URL shows the badge and the replayed clock, its tiles move as the clock runs
 * through yesterday morning's check-ins, and 回到实时 takes it back to live, where it shows what a
 * wall shows now. Screenshots at 1080p and 4K for a person to look at.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PracticeEvent } from '../../shared/events.js';
import type { KpiSnapshot } from '../../shared/kpi.js';
import { UTC_OFFSET_MS } from '../../shared/time-zone.js';
import { launchBrowser, openPage, screenshot } from '../helpers/browser.js';
import { checkin } from '../helpers/events.js';
import { startServer, type RunningServer } from '../helpers/server.js';

const HOST = 'wall.lan.test';
const TIMEOUT_MS = 120_000;
const DAY = 86_400_000;
const MIN = 60_000;
/** Yesterday on the county's clock, its midnight and its date as the URL writes it. */
const midnight = Math.floor((Date.now() + UTC_OFFSET_MS) / DAY) * DAY - UTC_OFFSET_MS - DAY;
const date = new Date(midnight + UTC_OFFSET_MS).toISOString().slice(0, 10);

let server: RunningServer;
let browser: Browser;
let token: string;
const errors: string[] = [];

const at = (path: string) => `http://${HOST}:${server.port}${path}`;
const kpi = (page: Page) => page.locator('[data-kpi="checkinsToday"]').textContent();

async function open(size: { width: number; height: number }, path: string): Promise<Page> {
  const page = await openPage(browser, size, { label: `${size.width}x${size.height}`, into: errors });
  await page.goto(at(path));
  return page;
}

beforeAll(async () => {
  server = await startServer();
  token = await server.wallToken();
  // Yesterday 09:00–10:00: a check-in every minute at one station, so the tiles climb as it replays.
  const events: PracticeEvent[] = Array.from({ length: 60 }, (_, i) =>
    checkin({ ts: midnight + 9 * 60 * MIN + i * MIN, volunteerId: `VE${i}`, activityId: 'RE2E' }),
  );
  const response = await fetch(`${server.url}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  expect(response.status).toBe(200);
  browser = await launchBrowser([`--host-resolver-rules=MAP ${HOST} 127.0.0.1`]);
}, TIMEOUT_MS);
afterAll(async () => {
  await browser.close();
  await server.stop();
});

describe('a replaying wall', () => {
  it('shows the badge and the replayed clock, moves with it, and goes back to live', { timeout: 300_000 }, async () => {
    const page = await open(
      { width: 1920, height: 1080 },
      `/?token=${token}&replay=${date}T08:58..${date}T11:00&speed=60`,
    );
    const badge = page.locator('[data-replay]');
    await expect.poll(() => badge.isVisible(), { timeout: TIMEOUT_MS }).toBe(true);
    await expect
      .poll(() => page.locator('[data-replay-clock]').textContent(), { timeout: TIMEOUT_MS })
      .toMatch(new RegExp(`^${date} (08:5\\d|09:\\d\\d)$`));
    expect(await page.locator('[data-replay-speed]').textContent()).toBe('60×');
    await expect.poll(() => kpi(page), { timeout: TIMEOUT_MS }).toMatch(/\d/);

    // The tile climbs as the replayed morning runs (a check-in a replayed minute, a second at 60×).
    const first = Number((await kpi(page))?.replace(/\D/g, ''));
    await expect
      .poll(async () => Number((await kpi(page))?.replace(/\D/g, '')), { timeout: TIMEOUT_MS, interval: 500 })
      .toBeGreaterThan(first + 5);
    await expect
      .poll(() => page.locator('[data-replay-clock]').textContent(), { timeout: TIMEOUT_MS })
      .toMatch(new RegExp(`^${date} 09:(1|2|3|4|5)\\d$`));
    await screenshot(page, 'replay-playing-1920x1080');

    await page.locator('[data-replay-stop]').click();
    await expect.poll(() => badge.count(), { timeout: TIMEOUT_MS }).toBe(0);
    const live = (await (
      await fetch(`${server.url}/api/kpi`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as KpiSnapshot;
    await expect
      .poll(async () => Number((await kpi(page))?.replace(/\D/g, '')), { timeout: TIMEOUT_MS })
      .toBe(live.checkinsToday);
    await expect
      .poll(() => page.locator('[data-connection]').getAttribute('data-state'), { timeout: TIMEOUT_MS })
      .toBe('connected');
    await page.close();
    expect(errors).toEqual([]);
  });

  for (const size of [
    { width: 1920, height: 1080 },
    { width: 3840, height: 2160 },
  ]) {
    it(`holds still at 1× for a look (${size.width}×${size.height})`, { timeout: 300_000 }, async () => {
      const page = await open(size, `/?token=${token}&replay=${date}T09:30..${date}T11:00&speed=1`);
      await expect.poll(() => page.locator('[data-replay]').isVisible(), { timeout: TIMEOUT_MS }).toBe(true);
      await expect.poll(() => kpi(page), { timeout: TIMEOUT_MS }).toMatch(/\d/);
      await expect
        .poll(() => page.locator('[data-nodes]').getAttribute('data-nodes'), { timeout: TIMEOUT_MS })
        .toMatch(/[1-9]/);
      // Every panel has had its first replayed answer (the first reads are the slow ones).
      await expect.poll(() => page.locator('[data-fresh-age=""]').count(), { timeout: TIMEOUT_MS }).toBe(0);
      // Every time label says replay and the replayed minute, never 实时 (the badge's 回到实时 aside):
      // each panel's freshness, the header's, and the trend's axis ends at the replayed minute.
      const minute = new RegExp(`^回放 09:3\\d$`);
      for (const text of await page.locator('[data-fresh-age]').allTextContents()) expect(text.trim()).toMatch(minute);
      expect((await page.locator('[data-freshness]').textContent())?.trim()).toMatch(minute);
      const panels = (await page.locator('[data-panel]').allTextContents()).join(' ');
      expect(panels).not.toContain('实时');
      const axisEnd = Number(await page.locator('[data-axis-end]').first().getAttribute('data-axis-end'));
      expect(axisEnd).toBeGreaterThanOrEqual(midnight + 9.5 * 60 * MIN);
      expect(axisEnd).toBeLessThan(midnight + 11 * 60 * MIN);
      // Half past nine: the morning's first 30 check-ins (and whatever the seeded history had before).
      expect(Number((await kpi(page))?.replace(/\D/g, ''))).toBeGreaterThanOrEqual(30);
      await screenshot(page, `replay-still-${size.width}x${size.height}`);
      await page.close();
      expect(errors).toEqual([]);
    });
  }
});
