/**
 * The volunteers' phone app (`/m`) in real Chromium as a phone (390×844, touch, isMobile) under a
 * LAN host name: registration, login, the shell's tabs and 我的. Every page is screenshotted
 * (`tests/e2e/artifacts/field-*.png`) and none may meet an error response or a console error
 * beyond the login's expected 401 before anyone is logged in.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors, launchBrowser, screenshot } from '../helpers/browser.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { decideVolunteer, readyVolunteer, registerVolunteer, testPhone } from '../helpers/volunteer.js';

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
    await expect.poll(() => page.locator('[data-field-placeholder]').count(), { timeout: TIMEOUT_MS }).toBe(1);
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
});
