/**
 * 活动报名 and 签到 in real Chromium as a phone (390×844, touch, isMobile) under a LAN host name: sign
 * up on the 活动 tab, open a node's `/m/checkin/<segment>` with the phone at the node (geolocation
 * granted) and be checked in within 500 m; then, offline, a scan typed on the 签到 tab is kept on the
 * phone and sent once the phone is back online. Screenshots: `tests/e2e/artifacts/activities-*.png`.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityView } from '../../shared/activity-api.js';
import type { NetworkNode } from '../../shared/network.js';
import { collectErrors, launchBrowser, screenshot } from '../helpers/browser.js';
import { networkNodes } from '../helpers/dispatch.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { readyVolunteer } from '../helpers/volunteer.js';

const HOST = 'wall.lan.test';
const TIMEOUT_MS = 60_000;
const MIN = 60_000;
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } as const;

let server: RunningServer;
let browser: Browser;
let admin: string;
const at = (path: string) => `http://${HOST}:${server.port}${path}`;

async function publish(nodeId: string, title: string): Promise<ActivityView> {
  const response = await server.fetch(`${server.url}/api/v1/activities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: admin },
    body: JSON.stringify({
      title,
      category: 'health',
      nodeId,
      startsAt: Date.now() - 20 * MIN,
      endsAt: Date.now() + 2 * 60 * MIN,
      capacity: 30,
      brandId: '',
    }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as ActivityView;
}

beforeAll(async () => {
  server = await startServer();
  admin = await server.login();
  // Location is given to secure pages only: the county serves phones over https (README "On the
  // network"); this origin stands for that one.
  browser = await launchBrowser([
    `--host-resolver-rules=MAP ${HOST} 127.0.0.1`,
    `--unsafely-treat-insecure-origin-as-secure=http://${HOST}:${server.port}`,
  ]);
});
afterAll(async () => {
  await browser.close();
  await server.stop();
});

describe('活动报名 and 签到 on the phone', () => {
  it('signs up, checks in by the node’s link near the node, and sends an offline check-in when back', async () => {
    const volunteer = await readyVolunteer(server, admin, { name: '林小雨' });
    const nodes: NetworkNode[] = await networkNodes(server, { cookie: admin });
    const station = nodes.find((n) => n.id === volunteer.stationId) as NetworkNode;
    const point =
      nodes.find((n) => n.level === 'point' && n.parentId === station.id) ??
      nodes.find((n) => n.level === 'point' && n.instituteId === station.instituteId);
    if (!point) throw new Error(`no point in ${station.instituteId ?? ''}`);
    const first = await publish(station.id, '义诊送健康');
    const second = await publish(point.id, '垃圾分类宣传');

    const context = await browser.newContext({
      ...PHONE,
      geolocation: { latitude: station.lat, longitude: station.lon },
      permissions: ['geolocation'],
    });
    const [name, value] = volunteer.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, domain: HOST, path: '/' }]);
    const page = await context.newPage();
    const problems: string[] = [];
    collectErrors(page, 'phone', problems, (text) => /ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(text));

    await page.goto(at('/m/activities'));
    const card = (id: string) => page.locator(`[data-activity="${id}"]`);
    await expect.poll(() => card(first.id).count(), { timeout: TIMEOUT_MS }).toBe(1);
    await screenshot(page, 'activities-list', { fullPage: true });
    await card(first.id).locator('[data-signup]').tap();
    await expect.poll(() => card(first.id).getAttribute('data-mine'), { timeout: TIMEOUT_MS }).toBe('signed');
    await card(second.id).locator('[data-signup]').tap();
    await expect.poll(() => card(second.id).getAttribute('data-mine'), { timeout: TIMEOUT_MS }).toBe('signed');
    await screenshot(page, 'activities-signed', { fullPage: true });

    const segment = (n: NetworkNode) => n.code.replace(/^WMSJ:/, '').replace(':', '-');
    await page.goto(at(`/m/checkin/${segment(station)}`));
    const done = page.locator('[data-outcome="checkin"]');
    await expect.poll(() => done.count(), { timeout: TIMEOUT_MS }).toBe(1);
    expect(await page.locator('[data-near]').textContent()).toContain('500');
    await screenshot(page, 'activities-checkin', { fullPage: true });

    // The 签到 tab, then the connection goes: a typed code's scan is kept and sent when back.
    await page.locator('[data-tab="checkin"]').tap();
    await expect.poll(() => page.locator('[data-code-form]').count(), { timeout: TIMEOUT_MS }).toBe(1);
    await screenshot(page, 'activities-scan', { fullPage: true });
    await context.setOffline(true);
    await page.fill('[data-code-form] input[name="code"]', point.code);
    await page.locator('[data-code-form] button[type="submit"]').tap();
    await expect.poll(() => page.locator('[data-queued]').count(), { timeout: TIMEOUT_MS }).toBe(1);
    await screenshot(page, 'activities-offline-queued', { fullPage: true });
    await context.setOffline(false);
    await expect.poll(() => page.locator('[data-sent-later]').count(), { timeout: TIMEOUT_MS }).toBe(1);
    await screenshot(page, 'activities-offline-sent', { fullPage: true });

    await page.goto(at('/m/activities'));
    await expect.poll(() => card(second.id).getAttribute('data-mine'), { timeout: TIMEOUT_MS }).toBe('checked_in');
    await screenshot(page, 'activities-after', { fullPage: true });

    // The organiser cancels one I signed up for while the phone shows 活动: a banner at once, the card says so.
    const cancelled = await server.fetch(`${server.url}/api/v1/activities/${first.id}/cancel`, {
      method: 'POST',
      headers: { cookie: admin },
    });
    expect(cancelled.status).toBe(200);
    const banner = page.locator(`[data-activity-cancelled][data-activity-id="${first.id}"]`);
    await expect.poll(() => banner.count(), { timeout: TIMEOUT_MS }).toBe(1);
    expect(await banner.textContent()).toContain('义诊送健康');
    await expect.poll(() => card(first.id).locator('[data-cancelled]').count(), { timeout: TIMEOUT_MS }).toBe(1);
    await screenshot(page, 'activities-cancelled-push', { fullPage: true });
    await banner.tap();
    await expect.poll(() => banner.count(), { timeout: TIMEOUT_MS }).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});
