/**
 * The volunteers' phone app (`/m`) in real Chromium as a phone (390×844, touch, isMobile) under a
 * LAN host name: registration, login, the shell's tabs and 我的. Every page is screenshotted
 * (`tests/e2e/artifacts/field-*.png`) and none may meet an error response or a console error
 * beyond the login's expected 401 before anyone is logged in.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors, launchBrowser, screenshot } from '../helpers/browser.js';
import { startServer, TEST_ADMIN_PASSWORD, type RunningServer } from '../helpers/server.js';
import { orderDetail } from '../helpers/dispatch.js';
import { checkout } from '../helpers/events.js';
import {
  decideVolunteer,
  offerOrder,
  orderAtStation,
  readyVolunteer,
  registerVolunteer,
  testPhone,
} from '../helpers/volunteer.js';

const HOST = 'wall.lan.test';
const TIMEOUT_MS = 60_000;
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } as const;
/** Before login the shell asks who is there (401); a pending registration's login is refused (403). */
const EXPECTED = [/^401 .*\/api\/auth\/me$/, /status of 40[13]/, /^403 .*\/api\/v1\/field\/login$/];

let server: RunningServer;
let browser: Browser;
let admin: string;

async function phone(): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  const problems: string[] = [];
  const allowed = (text: string) => EXPECTED.some((re) => re.test(text));
  page.on('response', (r) => {
    const line = `${r.status()} ${r.url()}`;
    if (r.status() >= 400 && !allowed(line)) problems.push(line);
  });
  collectErrors(page, 'phone', problems, allowed);
  // The phone app draws no chart: loading the wall's ECharts chunks is a problem like a failed request.
  page.on('request', (r) => {
    if (/\/assets\/(echarts|zrender)-/.test(r.url())) problems.push(`chart chunk ${r.url()}`);
  });
  return { context, page, problems };
}
const at = (path: string) => `http://${HOST}:${server.port}${path}`;

beforeAll(async () => {
  server = await startServer();
  admin = await server.login();
  browser = await launchBrowser([`--host-resolver-rules=MAP ${HOST} 127.0.0.1`]);
});
afterAll(async () => {
  await browser.close();
  await server.stop();
});

describe('the phone app', () => {
  it('registers a volunteer through the form, naming each missing field first', async () => {
    const { context, page, problems } = await phone();
    await page.goto(at('/m/register'));
    await page.locator('[data-register-submit]').tap();
    await expect.poll(() => page.locator('.m-error').count(), { timeout: TIMEOUT_MS }).toBeGreaterThan(3);
    await screenshot(page, 'field-register-invalid', { fullPage: true });
    await page.fill('input[name="name"]', '李建国');
    await page.fill('input[name="phone"]', testPhone());
    await page.fill('input[name="password"]', 'my phone password');
    await page.selectOption('select[name="town"]', { index: 1 });
    await page.selectOption('select[name="station"]', { index: 1 });
    await page.locator('[data-skill="elderly"]').tap();
    await page.locator('[data-skill="health"]').tap();
    await page.locator('[data-slot="weekend_morning"]').tap();
    await screenshot(page, 'field-register-filled', { fullPage: true });
    await page.locator('[data-register-submit]').tap();
    await expect
      .poll(() => page.locator('[data-registered]').textContent(), { timeout: TIMEOUT_MS })
      .toMatch(/VR\d{6}/);
    await screenshot(page, 'field-register-done');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('sends a visitor to the login, then back, and shows the tabs and 我的', async () => {
    const v = await readyVolunteer(server, admin);
    const pending = await registerVolunteer(server);
    expect(pending.id).toMatch(/^VR/);
    const { context, page, problems } = await phone();
    await page.goto(at('/m/me'));
    await expect.poll(() => page.locator('[data-field-login]').count(), { timeout: TIMEOUT_MS }).toBe(1);
    expect(new URL(page.url()).searchParams.get('next')).toBe('/m/me');
    // A pending registration's right password is told so, in words.
    await page.fill('input[name="phone"]', pending.body.phone);
    await page.fill('input[name="password"]', pending.body.password);
    await page.locator('button[type="submit"]').tap();
    await expect
      .poll(() => page.locator('[data-login-error]').textContent(), { timeout: TIMEOUT_MS })
      .toContain('审核');
    await screenshot(page, 'field-login-pending');
    await page.fill('input[name="phone"]', v.phone);
    await page.fill('input[name="password"]', v.password);
    await page.locator('button[type="submit"]').tap();
    await expect.poll(() => page.locator('[data-field-me]').count(), { timeout: TIMEOUT_MS }).toBe(1);
    expect(await page.locator('[data-field-me]').textContent()).not.toContain(v.phone);
    await screenshot(page, 'field-me');
    await page.locator('[data-tab="activities"]').tap();
    // The 活动 tab's views are the activities' own (client/field/activities/routes.ts): only its place here.
    await expect.poll(() => page.url(), { timeout: TIMEOUT_MS }).toBe(at('/m/activities'));
    await page.locator('[data-tab="tasks"]').tap();
    await expect.poll(() => page.url(), { timeout: TIMEOUT_MS }).toBe(at('/m'));
    await screenshot(page, 'field-tasks-empty');
    await page.locator('[data-tab="me"]').tap();
    await page.locator('[data-field-logout]').tap();
    await expect.poll(() => page.locator('[data-field-login]').count(), { timeout: TIMEOUT_MS }).toBe(1);
    await screenshot(page, 'field-login');
    expect(problems).toEqual([]);
    await context.close();
    expect(await decideVolunteer(server, admin, pending.id, 'reject', '测试')).toBe(200);
  });

  it('rings an offer in, and takes it through accept, start and complete; declines another with a reason', async () => {
    const v = await readyVolunteer(server, admin);
    const { context, page, problems } = await phone();
    // Counts the phone's vibrations: the ring's part a test can see (sound needs a speaker).
    await context.addInitScript({
      content: 'window.vibrations = 0; navigator.vibrate = () => { window.vibrations += 1; return true; };',
    });
    await page.goto(at('/m'));
    await page.fill('input[name="phone"]', v.phone);
    await page.fill('input[name="password"]', v.password);
    await page.locator('button[type="submit"]').tap();
    await expect
      .poll(() => page.locator('[data-field-shell]').getAttribute('data-connection'), { timeout: TIMEOUT_MS })
      .toBe('connected');
    await page.locator('[data-field-tasks-empty]').tap(); // a first touch, which lets the page play sound

    const order = await orderAtStation(server, { cookie: admin }, v.stationId);
    expect((await offerOrder(server, admin, order.id, v.id)).status).toBe(201);
    await expect.poll(() => page.locator('[data-ringing]').count(), { timeout: TIMEOUT_MS }).toBe(1);
    expect(await page.evaluate('window.vibrations')).toBeGreaterThan(0);
    expect(await page.locator(`[data-task="${order.id}"]`).count()).toBe(1);
    await screenshot(page, 'field-offer-ringing');
    await page.locator('[data-ringing]').tap();
    await expect.poll(() => page.locator('[data-accept]').count(), { timeout: TIMEOUT_MS }).toBe(1);
    await screenshot(page, 'field-task-offer');
    await page.locator('[data-accept]').tap();
    await expect.poll(() => page.locator('[data-start]').count(), { timeout: TIMEOUT_MS }).toBe(1);
    await screenshot(page, 'field-task-claimed');
    await page.locator('[data-start]').tap();
    await expect.poll(() => page.locator('[data-complete]').count(), { timeout: TIMEOUT_MS }).toBe(1);
    await page.fill('textarea[name="note"]', '药已送到，老人身体状况良好');
    await screenshot(page, 'field-task-in-service');
    await page.locator('[data-complete]').tap();
    await expect.poll(() => page.locator('[data-task-done]').count(), { timeout: TIMEOUT_MS }).toBe(1);
    await screenshot(page, 'field-task-done');
    const done = await orderDetail(server, { cookie: admin }, order.id);
    expect(done.order.state).toBe('completed');
    expect(done.timeline.filter((e) => e.actorId === v.id).map((e) => e.action)).toEqual([
      'claim',
      'start',
      'complete',
    ]);

    const second = await orderAtStation(server, { cookie: admin }, v.stationId, '社区文艺汇演帮忙布置');
    expect((await offerOrder(server, admin, second.id, v.id)).status).toBe(201);
    await page.locator('[data-tab="tasks"]').tap();
    await expect.poll(() => page.locator(`[data-task="${second.id}"]`).count(), { timeout: TIMEOUT_MS }).toBe(1);
    await screenshot(page, 'field-tasks-offer');
    await page.locator(`[data-task="${second.id}"]`).tap();
    await page.locator('[data-decline]').tap();
    await page.locator('[data-decline-form] .m-chip').first().tap();
    await screenshot(page, 'field-task-decline');
    await page.locator('[data-decline-submit]').tap();
    await expect.poll(() => page.locator('[data-task-gone]').count(), { timeout: TIMEOUT_MS }).toBe(1);
    const declined = await orderDetail(server, { cookie: admin }, second.id);
    expect(declined.timeline.find((e) => e.action === 'decline')).toMatchObject({ actorId: v.id, message: '时间冲突' });

    // 我的: the completed order and two check-outs' hours in the record.
    const hours = [
      checkout({ volunteerId: v.id, nodeId: v.stationId, hours: 2.5 }),
      checkout({ volunteerId: v.id, nodeId: v.stationId, ts: Date.now() - 40 * 86_400_000, hours: 4 }),
    ];
    const ingested = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(hours),
    });
    expect(ingested.status).toBe(200);
    await expect
      .poll(
        async () => {
          await page.locator('[data-tab="me"]').tap();
          await page.locator('[data-record-hours]').waitFor();
          const shown = await page.locator('[data-record-hours]').textContent();
          if (shown !== '6.5') await page.locator('[data-tab="tasks"]').tap();
          return shown;
        },
        { timeout: TIMEOUT_MS },
      )
      .toBe('6.5');
    expect(await page.locator('[data-record-completed]').textContent()).toBe('1');
    await screenshot(page, 'field-me-record', { fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lets the console approve a registration in 志愿者招募 and reject another with a reason', async () => {
    const first = await registerVolunteer(server, { name: '赵志强', skills: ['health', 'emergency'] });
    const second = await registerVolunteer(server, { name: '孙丽', availability: ['weekday_evening'] });
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const problems: string[] = [];
    collectErrors(page, 'console', problems, (text) => /status of 401/.test(text));
    await page.goto(at('/dispatch'));
    await page.fill('[data-login] input[name="username"]', 'admin');
    await page.fill('[data-login] input[name="password"]', TEST_ADMIN_PASSWORD);
    await page.click('[data-login] button[type="submit"]');
    await page.locator('[data-tab="recruits"]').click();
    await expect.poll(() => page.locator(`[data-account="${first.id}"]`).count(), { timeout: TIMEOUT_MS }).toBe(1);
    // The pending phone in full for whoever decides it.
    expect(await page.locator(`[data-account="${first.id}"]`).textContent()).toContain(first.body.phone);
    await screenshot(page, 'field-console-recruits');
    await page.locator(`[data-account="${first.id}"] [data-approve]`).click();
    await expect.poll(() => page.locator(`[data-account="${first.id}"]`).count(), { timeout: TIMEOUT_MS }).toBe(0);
    await page.locator(`[data-account="${second.id}"] [data-reject]`).click();
    await page.fill(`[data-account="${second.id}"] [data-reject-reason]`, '所选站点志愿者已满');
    await page.locator(`[data-account="${second.id}"] [data-reject-confirm]`).click();
    await expect.poll(() => page.locator(`[data-account="${second.id}"]`).count(), { timeout: TIMEOUT_MS }).toBe(0);
    await page.locator('[data-filter="all"]').click();
    await expect
      .poll(() => page.locator(`[data-account="${first.id}"]`).getAttribute('data-status'), { timeout: TIMEOUT_MS })
      .toBe('approved');
    expect(await page.locator(`[data-account="${second.id}"]`).textContent()).toContain('所选站点志愿者已满');
    expect(await page.locator(`[data-account="${first.id}"]`).textContent()).not.toContain(first.body.phone);
    await screenshot(page, 'field-console-recruits-all');
    expect(problems).toEqual([]);
    await context.close();
  });
});
