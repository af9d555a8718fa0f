/**
 * A citizen's phone in real Chromium (390×844, touch, isMobile) under a LAN host name: the node's
 * public page from its code's link → 我要点单 → the tracking link → the tracking page following the
 * order live as a dispatcher (driven over HTTP) takes it through 制单 … 完成 → the rating; 百姓点题;
 * the clear pages for another county's code and a wrong link. The phone loads no wall or dispatch
 * route, and the order shows on the dispatch console's board. Screenshots of each phone page.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Candidate, OrderList, OrderView } from '../../shared/dispatch.js';
import type { NetworkNode } from '../../shared/network.js';
import { codeSegment } from '../../shared/node-link.js';
import { headersFor, type Credential } from '../helpers/auth.js';
import { collectErrors, launchBrowser, screenshot } from '../helpers/browser.js';
import { command, networkNodes, postCommand } from '../helpers/dispatch.js';
import { eventually, startServer, TEST_ADMIN_PASSWORD, type RunningServer } from '../helpers/server.js';

const HOST = 'wall.lan.test';
const LIVE_MS = 60_000;
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
/** What a phone page must never call: the wall's and the console's routes and sockets. */
const PRIVATE = /\/api\/(network|kpi|client-config|auth\/me|v1\/(orders|teams|events))|\/(live|dispatch|ingest)\b/;

let server: RunningServer;
let browser: Browser;
let admin: Credential;
let station: NetworkNode;
let segment: string;
let origin: string;
const errors: string[] = [];
const requests: string[] = [];

async function phone(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(PHONE);
  const page = collectErrors(await context.newPage(), 'phone', errors, (text) => /404|Not Found/.test(text));
  page.on('request', (r) => requests.push(r.url()));
  return { context, page };
}

/**
 * Nothing reaches past the viewport's width, so nothing scrolls sideways: no element of the page
 * (the map's own panes are clipped by the map) and not the page's scrolling box.
 */
const overflow = (page: Page) =>
  page.evaluate<string[]>(`(() => {
    const phone = document.querySelector('.phone');
    const wide = phone && phone.scrollWidth > phone.clientWidth ? ['.phone scrolls sideways'] : [];
    return [
      ...wide,
      ...[...document.querySelectorAll('[data-public-node] *, [data-track-page] *')]
        .filter((el) => !el.closest('.leaflet-container') && el.getBoundingClientRect().right > window.innerWidth + 1)
        .map((el) => el.tagName + '.' + el.getAttribute('class')),
    ];
  })()`);

/** The whole page, as tall as its content (it scrolls inside its own box, so fullPage would stop at the fold). */
async function shot(page: Page, name: string): Promise<void> {
  const height = await page.evaluate<number>(`document.querySelector('.phone')?.scrollHeight ?? 844`);
  await page.setViewportSize({ width: PHONE.viewport.width, height: Math.min(4000, Math.max(844, height)) });
  await screenshot(page, name);
  await page.setViewportSize(PHONE.viewport);
}

/** The dispatch console on a desktop, logged in as the admin through its form. */
async function openConsole(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 });
  // The console asks "who am I" before login; that 401 is the expected way to the form.
  const page = collectErrors(await context.newPage(), 'console', errors, (text) => text.includes('401'));
  await page.goto(`${origin}/dispatch`);
  await page.fill('[data-login] input[name="username"]', 'admin');
  await page.fill('[data-login] input[name="password"]', TEST_ADMIN_PASSWORD);
  await page.click('[data-login] button[type="submit"]');
  await expect
    .poll(() => page.locator('[data-connection]').getAttribute('data-state'), { timeout: LIVE_MS })
    .toBe('connected');
  return page;
}

async function newest(since: number): Promise<OrderView> {
  return eventually(async () => {
    const r = await server.fetch(`${server.url}/api/v1/orders`, { headers: headersFor(admin) });
    return ((await r.json()) as OrderList).orders.find((o) => o.venueId === station.id && o.createdAt >= since);
  });
}

beforeAll(async () => {
  server = await startServer();
  admin = { cookie: await server.login() };
  station = (await networkNodes(server, admin)).find(
    (n) => n.level === 'station' && n.instituteId === 'I02',
  ) as NetworkNode;
  segment = codeSegment(station.code) ?? '';
  origin = `http://${HOST}:${server.port}`;
  browser = await launchBrowser([`--host-resolver-rules=MAP ${HOST} 127.0.0.1`]);
});
afterAll(async () => {
  await browser.close();
  await server.stop();
});

describe("a citizen's phone", () => {
  it('orders from the node’s page and follows the order live to the rating', async () => {
    const since = Date.now() - 1;
    const { context, page } = await phone();
    await page.goto(`${origin}/c/${segment}`);
    await expect.poll(() => page.locator('[data-node-name]').textContent()).toBe(station.name);
    await page.locator('[data-node-map] path, [data-node-map] .leaflet-interactive').first().waitFor();
    expect(await page.locator('[data-checkin]').getAttribute('href')).toBe(`/m/checkin/${segment}`);
    expect(await overflow(page)).toEqual([]);
    await shot(page, 'citizen-node');

    await page.tap('[data-open-order]');
    await page.tap('[data-order-submit]');
    await expect.poll(() => page.locator('[data-order-form] .problem').count()).toBeGreaterThan(0);
    await page.tap('[data-category="elderly"]');
    await page.locator('[data-slot]').first().tap();
    await page.fill('textarea[name="note"]', '<b>老人</b>需要陪同就医');
    await page.fill('input[name="phone"]', '13912345678');
    expect(await overflow(page)).toEqual([]);
    await shot(page, 'citizen-order-form');
    await page.tap('[data-order-submit]');
    const link = await page.locator('[data-track-link]').textContent({ timeout: LIVE_MS });
    expect(link).toMatch(new RegExp(`^${origin}/t#[A-Za-z0-9_-]{43}$`));
    await shot(page, 'citizen-order-done');

    // The dispatch console's board has it: 群众点单 at this 站, filed under its category, and its
    // dispatcher may see the phone the citizen left.
    const order = await newest(since);
    expect(order).toMatchObject({ state: 'requested', category: 'elderly', venueId: station.id });
    const desk = await openConsole();
    const row = desk.locator(`[data-board] [data-order="${order.id}"]`);
    await row.waitFor({ timeout: LIVE_MS });
    expect(await row.textContent()).toContain('助老助残');
    await row.click();
    await desk.click('[data-reveal-citizen]');
    await expect.poll(() => desk.locator('[data-citizen-phone]').textContent()).toContain('13912345678');
    // What the citizen wrote is on the order's trail, as text (the markup typed into it stays text).
    await expect.poll(() => desk.locator('[data-audit-words]').first().textContent()).toBe('<b>老人</b>需要陪同就医');
    await screenshot(desk, 'citizen-order-console');
    await desk.context().close();

    await page.tap('[data-track-open]');
    await page.waitForURL(/\/t#/);
    const current = () => page.locator('[data-steps] [data-kind="current"]').getAttribute('data-step');
    await expect.poll(current, { timeout: LIVE_MS }).toBe('requested');
    await shot(page, 'citizen-track-requested');

    let v = order;
    const drive = async (rest: Record<string, unknown>) => {
      const answer = await postCommand(server, admin, v.id, command(v.id, v.version, rest));
      if (!answer.ack.ok) throw new Error(answer.ack.error.code);
      v = answer.ack.data.order;
    };
    await drive({ type: 'accept' });
    await expect.poll(current, { timeout: LIVE_MS }).toBe('accepted');
    expect(await page.locator('[data-step="accepted"]').textContent()).toContain('中心制单');
    await shot(page, 'citizen-track-accepted');

    await drive({ type: 'dispatch_institute', instituteId: 'I02' });
    await drive({ type: 'dispatch_station', stationId: station.id });
    const candidates = (await (
      await server.fetch(`${server.url}/api/v1/orders/${v.id}/candidates`, { headers: headersFor(admin) })
    ).json()) as Candidate[];
    const volunteer = candidates.find((c) => c.kind === 'volunteer');
    if (!volunteer) throw new Error('no volunteer candidate');
    await drive({ type: 'claim', assignee: { kind: 'volunteer', id: volunteer.id } });
    await expect
      .poll(() => page.locator('[data-track-volunteer]').textContent(), { timeout: LIVE_MS })
      .toBe(volunteer.name);
    await drive({ type: 'start' });
    await drive({ type: 'complete' });
    await page.locator('[data-rating-form]').waitFor({ timeout: LIVE_MS });
    await page.tap('[data-star="4"]');
    await page.fill('textarea[name="comment"]', '志愿者很耐心，谢谢！');
    await shot(page, 'citizen-track-rating');
    await page.tap('[data-rating-submit]');
    await page.locator('[data-rated]').waitFor({ timeout: LIVE_MS });
    expect(await page.locator('[data-rated] .comment').textContent()).toBe('志愿者很耐心，谢谢！');
    expect(await overflow(page)).toEqual([]);
    await shot(page, 'citizen-track-rated');
    // The phone that ordered finds its order again from the node's page.
    await page.goto(`${origin}/c/${segment}`);
    expect(await page.locator('[data-my-order]').getAttribute('href')).toBe(
      new URL(link ?? '').hash.replace('#', '/t#'),
    );
    await context.close();
  });

  it('sends 百姓点题 and meets clear pages for another county’s code and a wrong link', async () => {
    const { context, page } = await phone();
    await page.goto(`${origin}/c/${segment}`);
    await page.tap('[data-open-appeal]');
    await page.fill('textarea[name="title"]', '广场晚上路灯太暗，建议加装');
    await shot(page, 'citizen-appeal-form');
    await page.tap('[data-appeal-submit]');
    await page.locator('[data-appeal-done]').waitFor({ timeout: LIVE_MS });

    await page.goto(`${origin}/c/999999-${station.id}`);
    await page.locator('[data-public-error][data-code="PUBLIC_NODE_OTHER_COUNTY"]').waitFor();
    await shot(page, 'citizen-other-county');
    await page.goto(`${origin}/t#${'A'.repeat(43)}`);
    await page.locator('[data-public-error][data-code="TRACK_NOT_FOUND"]').waitFor({ timeout: LIVE_MS });
    await shot(page, 'citizen-track-unknown');

    await page.goto(`${origin}/c/${segment}?lang=en`);
    await page.locator('[data-node-name]').waitFor();
    await shot(page, 'citizen-node-en');
    await context.close();

    expect(requests.filter((url) => PRIVATE.test(url))).toEqual([]);
    expect(requests.some((url) => url.includes('#'))).toBe(false);
    // The phone draws no chart: the wall's ECharts chunks (over 500 KB) stay off its connection.
    expect(requests.filter((url) => /\/assets\/(echarts|zrender)-/.test(url))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
