/**
 * Meeting control in real Chromium against the real server, under a LAN host name: a leader's tablet
 * (1024×768, touch) and two walls (1920×1080) put in one screen group by the admin. The walls follow
 * the tablet's dashboard, drill, card, windows, heat and 回放, and say they are driven (by role); an
 * admin's second tablet (1366×1024) is told who holds the group, takes it over after a confirmation,
 * and the first tablet is told; the release returns the walls to their playlist and their scope.
 * Screenshots of both tablets and a driven wall for a person to look at.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot } from '../helpers/browser.js';
import { startServer, TEST_ADMIN_PASSWORD, type RunningServer } from '../helpers/server.js';

const HOST = 'wall.lan.test';
const TIMEOUT_MS = 120_000;
const GROUP = '主屏';
const LEADER = { username: 'wang', password: 'leader-wang-password', role: 'leader' as const };
/** The walls' own rotation: a long dwell, so what they show before and after the meeting is known. */
const PLAYLIST = 'rotate=leadership,command-center&dwell=900';

let server: RunningServer;
let browser: Browser;
const errors: string[] = [];
const walls: Page[] = [];

const at = (path: string) => `http://${HOST}:${server.port}${path}`;
const shown = (wall: Page) => wall.locator('.wall').getAttribute('data-dashboard');
const every = async <T>(probe: (wall: Page) => Promise<T>): Promise<T[]> => Promise.all(walls.map(probe));

async function tablet(size: { width: number; height: number }, label: string, user: string, password: string) {
  // The page asks "who am I" before the login: that one 401 is the way to the form, and only before it.
  let before = true;
  const allowed = (text: string) => before && text.includes('401');
  const page = await openPage(browser, size, { label, into: errors, allowed }, { hasTouch: true, locale: 'zh-CN' });
  // The tablet draws no chart and no map: the wall's ECharts and Leaflet chunks stay off its Wi-Fi.
  page.on('request', (r) => {
    if (/\/assets\/(echarts|zrender|leaflet)[-.]/.test(r.url())) errors.push(`${label} loaded ${r.url()}`);
  });
  await page.goto(at('/meeting'));
  await page.locator('[data-login] input[name="username"]').fill(user);
  await page.locator('[data-login] input[name="password"]').fill(password);
  await Promise.all([page.waitForEvent('load'), page.locator('[data-login] button[type="submit"]').tap()]);
  before = false;
  await expect
    .poll(() => page.locator(`[data-groups] [data-group="${GROUP}"]`).count(), { timeout: TIMEOUT_MS })
    .toBe(1);
  return page;
}

async function setGroup(admin: string, tokenId: string, group: string): Promise<void> {
  const put = await fetch(`${server.url}/api/v1/admin/screen-groups/${tokenId}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', cookie: admin },
    body: JSON.stringify({ group }),
  });
  expect(put.status).toBe(200);
}

beforeAll(async () => {
  server = await startServer({ users: [LEADER] });
  const admin = await server.login();
  // A second group whose walls are off: listed, with none online.
  await setGroup(admin, (await server.createToken({ role: 'wall', label: '左屏' })).info.id, '左屏');
  browser = await launchBrowser([`--host-resolver-rules=MAP ${HOST} 127.0.0.1`]);
  for (let i = 0; i < 2; i += 1) {
    const created = await server.createToken({ role: 'wall', label: `${GROUP} ${i + 1}` });
    await setGroup(admin, created.info.id, GROUP);
    const wall = await openPage(browser, { width: 1920, height: 1080 }, { label: `wall ${i + 1}`, into: errors });
    await wall.goto(at(`/?${PLAYLIST}#token=${created.token}`));
    walls.push(wall);
  }
}, 300_000);
// As long as the set-up may take: on a loaded machine closing Chromium and the server has taken minutes.
afterAll(async () => {
  await browser.close();
  await server.stop();
}, 300_000);

describe('meeting control', () => {
  it(
    'a tablet drives the walls of its group; a second takes over after confirming; release returns them',
    { timeout: 600_000 },
    async () => {
      // Each wall shows its own rotation's first dashboard until a tablet takes the group.
      await expect.poll(() => every(shown), { timeout: TIMEOUT_MS }).toEqual(['leadership', 'leadership']);
      // A leader's tablet: the group is free, its two walls online; one tap takes it.
      const first = await tablet({ width: 1024, height: 768 }, 'tablet 1', LEADER.username, LEADER.password);
      const row = first.locator(`[data-group="${GROUP}"]`);
      expect(await row.getAttribute('data-status')).toBe('free');
      await expect.poll(() => row.locator('.screens').textContent(), { timeout: TIMEOUT_MS }).toContain('2');
      await row.locator('[data-take]').tap();
      await expect
        .poll(() => first.locator('[data-drive]').getAttribute('data-driving'), { timeout: TIMEOUT_MS })
        .toBe(GROUP);

      // Driven: every wall says so by role, and shows the dashboard the tablet picks.
      await expect
        .poll(() => every((w) => w.locator('[data-meeting-badge]').getAttribute('data-role')), { timeout: TIMEOUT_MS })
        .toEqual(['leader', 'leader']);
      expect(await walls[0]?.locator('[data-meeting-badge]').textContent()).toContain('会议控制中 · 领导');
      await first.locator('[data-dashboard-pick="evaluation"]').tap();
      await expect.poll(() => every(shown), { timeout: TIMEOUT_MS }).toEqual(['evaluation', 'evaluation']);
      // A window of one panel: the walls' trend stands on 近7天 (it cycles by itself otherwise).
      await first.locator('[data-windows] [data-panel="trend"] [data-choice="7d"]').tap();
      await first.locator('[data-windows] [data-panel="institutes"] [data-choice="year"]').tap();
      const selected = (panel: string, attr: string) => (w: Page) =>
        w.locator(`[data-panel="${panel}"] [${attr}][aria-selected="true"]`).getAttribute(attr);
      await expect.poll(() => every(selected('trend', 'data-window')), { timeout: TIMEOUT_MS }).toEqual(['7d', '7d']);
      await expect
        .poll(() => every(selected('institutes', 'data-period')), { timeout: TIMEOUT_MS })
        .toEqual(['year', 'year']);

      // The map's dashboard: drill to a town by tap, a station by search, open its card, switch the heat.
      await first.locator('[data-dashboard-pick="command-center"]').tap();
      await expect.poll(() => every(shown), { timeout: TIMEOUT_MS }).toEqual(['command-center', 'command-center']);
      const volunteers = (w: Page) => w.locator('[data-kpi="registeredVolunteers"]').first().textContent();
      await expect.poll(() => every(volunteers), { timeout: TIMEOUT_MS }).not.toContain(null);
      const district = await every(volunteers);
      const town = first.locator('[data-scope-picker] [data-node]').first();
      const townId = await town.getAttribute('data-node');
      await town.locator('[data-drill]').tap();
      const mapScope = (w: Page) => w.locator('.wall-map').getAttribute('data-scope');
      await expect.poll(() => every(mapScope), { timeout: TIMEOUT_MS }).toEqual([townId, townId]);
      const station = first.locator('[data-scope-picker] [data-node]').first();
      const stationId = await station.getAttribute('data-node');
      const stationName = (await station.locator('.nm').textContent()) ?? '';
      await first.locator('[data-crumb]').first().tap();
      await expect.poll(() => every(mapScope), { timeout: TIMEOUT_MS }).not.toEqual([townId, townId]);
      await first.locator('[data-scope-search]').fill(stationName);
      await first.locator(`[data-scope-picker] [data-node="${stationId}"] [data-drill]`).tap();
      await expect.poll(() => every(mapScope), { timeout: TIMEOUT_MS }).toEqual([stationId, stationId]);
      // The tiles follow the drill too (their frames come by the socket's scope, not the map's): a
      // station's volunteers are fewer than the district's, however fast the tablet drilled.
      await expect
        .poll(async () => (await every(volunteers)).filter((v, i) => v !== district[i]).length, { timeout: TIMEOUT_MS })
        .toBe(2);
      await first.locator('[data-card-scope]').tap();
      await expect
        .poll(() => every((w) => w.locator('[data-node-popup]').getAttribute('data-node')), { timeout: TIMEOUT_MS })
        .toEqual([stationId, stationId]);
      await first.locator('[data-heat] [data-heat-category="complaint"]').tap();
      await expect
        .poll(
          () => every((w) => w.locator('[data-map-controls] [data-heat-category="complaint"]').getAttribute('class')),
          {
            timeout: TIMEOUT_MS,
          },
        )
        .toEqual(['on', 'on']);
      await screenshot(first, 'meeting-tablet-1024x768');
      await screenshot(walls[0] as Page, 'meeting-wall-driven-1920x1080');

      // 回放 from the tablet (yesterday morning, 60×), and back to live.
      await first.locator('[data-replay-start]').tap();
      await expect
        .poll(() => every((w) => w.locator('[data-replay]').count()), { timeout: TIMEOUT_MS })
        .toEqual([1, 1]);
      await first.locator('[data-replay-live]').scrollIntoViewIfNeeded();
      await screenshot(first, 'meeting-tablet-replay-1024x768');
      await screenshot(walls[1] as Page, 'meeting-wall-replay-1920x1080');
      await first.locator('[data-replay-live]').tap();
      await expect
        .poll(() => every((w) => w.locator('[data-replay]').count()), { timeout: TIMEOUT_MS })
        .toEqual([0, 0]);

      // An admin's tablet is told who holds the group (a role), confirms, and takes it over.
      const second = await tablet({ width: 1366, height: 1024 }, 'tablet 2', 'admin', TEST_ADMIN_PASSWORD);
      const held = second.locator(`[data-group="${GROUP}"]`);
      expect(await held.getAttribute('data-status')).toBe('held');
      expect(await held.locator('[data-holder]').textContent()).toContain('领导控制中');
      await held.locator('[data-take]').tap();
      await expect
        .poll(() => second.locator('[data-confirm]').textContent(), { timeout: TIMEOUT_MS })
        .toContain('领导');
      await second.locator('[data-confirm-ok]').tap();
      await expect
        .poll(() => second.locator('[data-drive]').getAttribute('data-driving'), { timeout: TIMEOUT_MS })
        .toBe(GROUP);
      await expect
        .poll(() => first.locator('[data-notice]').getAttribute('data-kind'), { timeout: TIMEOUT_MS })
        .toBe('takenOver');
      expect(await first.locator('[data-notice]').textContent()).toContain('管理员');
      expect(await first.locator('[data-drive]').getAttribute('data-driving')).toBe('');
      // The walls keep what they show, now driven by the admin.
      await expect
        .poll(() => every((w) => w.locator('[data-meeting-badge]').getAttribute('data-role')), { timeout: TIMEOUT_MS })
        .toEqual(['admin', 'admin']);
      expect(await every(mapScope)).toEqual([stationId, stationId]);
      await screenshot(second, 'meeting-tablet-1366x1024');
      await screenshot(first, 'meeting-tablet-taken-over-1024x768');

      // Released: the walls go back to their own rotation where it stood, at the district, undriven.
      await second.locator('[data-release]').tap();
      await second.locator('[data-confirm-ok]').tap();
      await expect
        .poll(() => every((w) => w.locator('[data-meeting-badge]').count()), { timeout: TIMEOUT_MS })
        .toEqual([0, 0]);
      await expect.poll(() => every(shown), { timeout: TIMEOUT_MS }).toEqual(['leadership', 'leadership']);
      expect(await every(async (w) => new URL(w.url()).searchParams.get('scope'))).toEqual([null, null]);
      await expect
        .poll(() => first.locator(`[data-group="${GROUP}"]`).getAttribute('data-status'), { timeout: TIMEOUT_MS })
        .toBe('free');
      expect(errors).toEqual([]);
    },
  );

  it("the admin puts a token's screens in a group from the screen list", { timeout: 300_000 }, async () => {
    const created = await server.createToken({ role: 'wall', label: '会议室右侧' });
    let before = true;
    const page = await openPage(
      browser,
      { width: 1366, height: 1024 },
      { label: 'admin', into: errors, allowed: (text) => before && text.includes('401') },
    );
    await page.goto(at('/admin'));
    await page.locator('[data-login] input[name="username"]').fill('admin');
    await page.locator('[data-login] input[name="password"]').fill(TEST_ADMIN_PASSWORD);
    await Promise.all([page.waitForEvent('load'), page.locator('[data-login] button[type="submit"]').click()]);
    before = false;
    await page.locator('header [data-section="screens"]').click();
    const field = page.locator(`[data-wall-tokens] [data-token="${created.info.id}"] [data-screen-group]`);
    await field.fill('右屏');
    await field.press('Enter');
    await expect
      .poll(() => page.locator('[data-screens-notice]').textContent(), { timeout: TIMEOUT_MS })
      .toContain('右屏');
    const admin = await server.login();
    const list = (await (
      await fetch(`${server.url}/api/v1/admin/screen-groups`, { headers: { cookie: admin } })
    ).json()) as { assignments: { tokenId: string; group: string }[] };
    expect(list.assignments).toContainEqual({ tokenId: created.info.id, group: '右屏' });
    await page.close();
    expect(errors).toEqual([]);
  });
});
