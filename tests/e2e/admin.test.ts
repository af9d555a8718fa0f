/**
 * The admin console in real Chromium against the real server, section by section: an account is
 * made, its password reset, disabled, enabled and unlocked; a wall token is
 * made, its link opened in a second page shows up in the connected list, and revoking it (asked
 * twice: this browser holds it) turns that screen unauthorised; emergency mode on and off with a
 * reason; the audit trail's filters; the dashboards' validation state after a broken edit. Every
 * form refuses bad input beside the field first. The browser is an en-US one, the console zh-CN (its
 * default): what the console shows follows the app's locale, not the browser's — its date fields
 * too. Screenshots at 1920×1080 and 1366×768 land in tests/e2e/artifacts.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage } from '../../shared/audit.js';
import { collectErrors, launchBrowser, screenshot } from '../helpers/browser.js';
import { startServer, TEST_ADMIN_PASSWORD, type RunningServer } from '../helpers/server.js';

const SHIPPED = fileURLToPath(new URL('../../dashboards/', import.meta.url));
const LIVE_TIMEOUT_MS = 60_000;
const SIZES = [
  { width: 1920, height: 1080 },
  { width: 1366, height: 768 },
] as const;

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let dir: string;
const errors: string[] = [];

/** The page in both sizes, each screenshot checked for a page wider than the window (overflow). */
async function shoot(name: string): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    const overflow = await page.evaluate<number>(
      "(el => el ? el.scrollWidth - el.clientWidth : 0)(document.querySelector('.admin'))",
    );
    expect(overflow, `${name} at ${size.width}: horizontal overflow`).toBe(0);
    await screenshot(page, `admin-${name}-${size.width}x${size.height}`);
  }
  await page.setViewportSize(SIZES[0]);
}

async function openSection(name: string): Promise<void> {
  await page.click(`header [data-section="${name}"]`);
  await expect.poll(() => page.locator('main').getAttribute('data-current')).toBe(name);
}

/** Answers yes to the confirmation asking this. */
async function confirm(asking: string): Promise<void> {
  const dialog = page.locator('[data-confirm]', { hasText: asking });
  await dialog.waitFor();
  await dialog.locator('[data-confirm-ok]').click();
  await dialog.waitFor({ state: 'detached' });
}
const noDialog = () => page.locator('[data-confirm]').waitFor({ state: 'detached' });

const login = (username: string, password: string) =>
  fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
const audit = async (query: string) => {
  const cookie = await server.login();
  return (await (await fetch(`${server.url}/api/v1/audit?${query}`, { headers: { cookie } })).json()) as AuditPage;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'admin-e2e-dashboards-'));
  cpSync(SHIPPED, dir, { recursive: true });
  server = await startServer({ env: { DASHBOARDS_DIR: dir } });
  browser = await launchBrowser(['--lang=en-US']);
  context = await browser.newContext({ viewport: SIZES[0], deviceScaleFactor: 1, locale: 'en-US' });
  // The console asks "who am I" before login; that 401 is the expected way to the form.
  page = collectErrors(await context.newPage(), 'admin', errors, (text) => text.includes('401'));
  await page.goto(`${server.url}/admin`);
  await page.fill('[data-login] input[name="username"]', 'admin');
  await page.fill('[data-login] input[name="password"]', TEST_ADMIN_PASSWORD);
  await page.click('[data-login] button[type="submit"]');
  await page.locator('.admin[data-gate="ready"]').waitFor({ timeout: LIVE_TIMEOUT_MS });
});

afterAll(async () => {
  // Unset when the set-up failed part way: its own error is the one to read.
  await (browser as Browser | undefined)?.close();
  await (server as RunningServer | undefined)?.stop();
});

describe('admin console', () => {
  it('creates a town dispatcher, resets the password, disables and enables the account, and unlocks a lockout', async () => {
    await openSection('users');
    const form = page.locator('[data-user-form]');
    await form.locator('button[type="submit"]').click();
    await expect.poll(() => form.locator('[data-problem="username"]').textContent()).toBe('必填');
    expect(await form.locator('[data-problem="password"]').textContent()).toBe('必填');
    expect(await form.locator('[data-problem="scope"]').textContent()).toBe('请选择');

    await form.locator('input[name="username"]').fill('zhao min');
    await form.locator('input[name="name"]').fill('赵敏');
    await form.locator('select[name="scope"]').selectOption('I03');
    await form.locator('input[name="password"]').fill('short');
    await form.locator('button[type="submit"]').click();
    await expect.poll(() => form.locator('[data-problem="username"]').textContent()).toBe('只能用字母、数字和 _ . @ -');
    expect(await form.locator('[data-problem="password"]').textContent()).toBe('至少 12 个字符');
    await form.locator('input[name="username"]').fill('zhao.min');
    await form.locator('input[name="password"]').fill('first password 1');
    await form.locator('button[type="submit"]').click();
    const row = page.locator('[data-users] [data-user="zhao.min"]');
    await row.waitFor();
    expect(await row.textContent()).toMatch(/赵敏.*调度员.*九江街道/);
    await shoot('users-created');

    // A new password, refused short beside the field, then set; the old one stops working.
    await row.locator('[data-reset]').click();
    await row.locator('input[name="new-password"]').fill('too short');
    await row.locator('[data-reset-form] button[type="submit"]').click();
    await expect.poll(() => row.locator('[data-problem="new-password"]').textContent()).toBe('至少 12 个字符');
    await row.locator('input[name="new-password"]').fill('second password 2');
    await row.locator('[data-reset-form] button[type="submit"]').click();
    await expect.poll(() => page.locator('[data-users-notice]').textContent()).toContain('已重置 zhao.min 的密码');
    expect((await login('zhao.min', 'first password 1')).status).toBe(401);
    expect((await login('zhao.min', 'second password 2')).status).toBe(200);

    // Disabled (confirmed): no login; enabled: logs in again.
    await row.locator('[data-disable]').click();
    await confirm('停用账号 zhao.min');
    await expect.poll(() => row.textContent()).toContain('已停用');
    expect(await (await login('zhao.min', 'second password 2')).json()).toMatchObject({
      code: 'AUTH_ACCOUNT_DISABLED',
    });
    await row.locator('[data-enable]').click();
    await expect.poll(() => row.textContent()).toContain('正常');

    // Five wrong passwords lock the username out; the admin sees it and unlocks it.
    for (let i = 0; i < 5; i += 1) await login('zhao.min', `wrong ${i}`);
    expect((await login('zhao.min', 'second password 2')).status).toBe(429);
    await page.click('[data-refresh-lockouts]');
    const locked = page.locator('[data-lockouts] [data-lockout="zhao.min"]');
    await locked.waitFor();
    expect(await row.textContent()).toContain('已锁定');
    await shoot('users-locked');
    await locked.locator('[data-unlock]').click();
    await locked.waitFor({ state: 'detached' });
    expect((await login('zhao.min', 'second password 2')).status).toBe(200);
  });

  it('makes a wall token whose link opens a screen listed live, and revoking it (asked twice) turns that screen unauthorised', async () => {
    await openSection('screens');
    const form = page.locator('[data-token-form]');
    await form.locator('button[type="submit"]').click();
    await expect.poll(() => form.locator('[data-problem="label"]').textContent()).toBe('必填');

    await form.locator('input[name="label"]').fill('三楼大厅屏');
    await form.locator('select[name="scope"]').selectOption('I03');
    await form.locator('select[name="dashboard"]').selectOption('town');
    await form.locator('button[type="submit"]').click();
    const link = await page.locator('[data-screen-link]').inputValue();
    expect(link).toMatch(/\?dashboard=town&scope=I03#token=wmsj_/);
    expect(await page.locator('[data-qr]').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await shoot('screens-created');

    // The screen: a second page of the same browser opens the link.
    const screen = await context.newPage();
    screen.on('pageerror', (err) => errors.push(`screen page: ${err.message}`));
    await screen.goto(link);
    await expect
      .poll(() => screen.locator('[data-connection]').getAttribute('data-state'), { timeout: LIVE_TIMEOUT_MS })
      .toBe('connected');

    const row = page.locator('[data-connected-screens] tr', { hasText: '三楼大厅屏' });
    await expect.poll(() => row.count(), { timeout: LIVE_TIMEOUT_MS }).toBe(1);
    await expect
      .poll(() => row.locator('td').nth(1).getAttribute('data-dashboard'), { timeout: LIVE_TIMEOUT_MS })
      .toBe('town');
    expect(await row.textContent()).toContain('本浏览器');
    expect(await row.locator('[data-frame-age]').textContent()).toMatch(/秒前/);
    await shoot('screens-connected');

    // Revoke from the connected list: asked twice, the second time because this browser shows it.
    await row.locator('button.danger').click();
    await confirm('三楼大厅屏');
    await confirm('你正在看的这块屏幕');
    await noDialog();
    await expect
      .poll(() => screen.locator('[data-connection-banner="unauthorized"]').textContent(), { timeout: LIVE_TIMEOUT_MS })
      .toContain('此屏幕未授权');
    await expect.poll(() => row.count(), { timeout: LIVE_TIMEOUT_MS }).toBe(0);
    expect(await page.locator('[data-wall-tokens] tr', { hasText: '三楼大厅屏' }).textContent()).toContain('已吊销');
    await screenshot(screen, 'admin-revoked-screen');
    await screen.close();
  });

  it('switches emergency mode on and off, each with a reason and a confirmation, on the audit trail', async () => {
    await openSection('emergency');
    const form = page.locator('[data-emergency-form]');
    await form.locator('button[type="submit"]').click();
    await expect.poll(() => form.locator('[data-problem="message"]').textContent()).toBe('必填');
    expect(await page.locator('[data-confirm]').count()).toBe(0);

    await form.locator('textarea[name="reason"]').fill('暴雨红色预警，全区进入应急状态');
    await form.locator('button[type="submit"]').click();
    await confirm('暴雨红色预警');
    await expect.poll(() => page.locator('[data-emergency]').getAttribute('data-emergency')).toBe('on');
    await shoot('emergency-on');

    await form.locator('textarea[name="reason"]').fill('预警解除');
    await form.locator('button[type="submit"]').click();
    await confirm('回到各自的看板');
    await expect.poll(() => page.locator('[data-emergency]').getAttribute('data-emergency')).toBe('off');

    expect((await audit('action=emergency.on&limit=1')).entries[0]).toMatchObject({
      actor: 'admin',
      subject: '暴雨红色预警，全区进入应急状态',
    });
    expect((await audit('action=emergency.off&limit=1')).entries[0]).toMatchObject({
      actor: 'admin',
      subject: '预警解除',
    });
  });

  it('filters the audit trail by who, what, when and refusals', async () => {
    for (const password of ['guess-1', 'guess-2']) {
      await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'intruder', password }),
      });
    }
    await openSection('audit');
    const filters = page.locator('[data-audit-filters]');
    const rows = page.locator('[data-audit] tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(3);

    await filters.locator('input[name="actor"]').fill('intrud');
    await filters.locator('input[name="refused"]').check();
    await filters.locator('button[type="submit"]').click();
    await expect.poll(() => rows.count()).toBe(2);
    expect([await rows.nth(0).getAttribute('data-result'), await rows.nth(1).getAttribute('data-result')]).toEqual([
      'refused',
      'refused',
    ]);
    expect(await rows.first().textContent()).toContain('登录失败');
    await shoot('audit-filtered');

    await filters.locator('button[type="button"]').click();
    await filters.locator('select[name="action"]').selectOption('token.revoked');
    await filters.locator('button[type="submit"]').click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('吊销令牌');

    // The date fields are the console's zh-CN (yyyy-MM-dd HH:mm), not the en-US browser's
    // mm/dd/yyyy: that is refused beside the field, the console's pattern taken as the reader's time.
    const from = filters.locator('input[name="from"]');
    const to = filters.locator('input[name="to"]');
    expect(await from.getAttribute('placeholder')).toMatch(/^如 \d{4}-\d{2}-\d{2} 00:00$/);
    await from.fill('01/02/2031 10:00');
    await filters.locator('button[type="submit"]').click();
    await expect
      .poll(() => filters.locator('[data-problem="from"]').textContent())
      .toBe('请按 年-月-日 时:分 填写，如 2026-12-07 08:30');
    // A time range ending before it starts is refused beside the field; one in the future is empty.
    await from.fill('2031-01-02 10:00');
    await to.fill('2031-01-01 10:00');
    await filters.locator('button[type="submit"]').click();
    await expect.poll(() => filters.locator('[data-problem="to"]').textContent()).toBe('格式不正确');
    expect(await filters.locator('[data-problem="from"]').textContent()).toBe('');
    await to.fill('2031-01-03 10:00');
    const sent = page.waitForRequest((r) => r.url().includes('/api/v1/audit?') && r.url().includes('from='));
    await filters.locator('button[type="submit"]').click();
    const query = new URL((await sent).url()).searchParams;
    expect([query.get('from'), query.get('to')]).toEqual(
      await page.evaluate(() => [new Date(2031, 0, 2, 10).toISOString(), new Date(2031, 0, 3, 10).toISOString()]),
    );
    await page.locator('[data-audit-empty]').waitFor();
    expect([await from.inputValue(), await to.inputValue()]).toEqual(['2031-01-02 10:00', '2031-01-03 10:00']);
    await shoot('audit-dates');
  });

  it('shows each dashboard file valid, and a broken edit invalid with its field', async () => {
    const file = join(dir, 'leadership.json');
    const original = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...original, grid: { columns: 0, rows: 12 } }));
    await openSection('dashboards');
    const broken = page.locator('[data-dashboard-files] [data-file="leadership.json"]');
    await expect.poll(() => broken.getAttribute('data-state'), { timeout: LIVE_TIMEOUT_MS }).toBe('invalid');
    expect(await broken.textContent()).toContain('grid/columns');
    expect(await page.locator('[data-file="town.json"]').getAttribute('data-state')).toBe('valid');
    await shoot('dashboards');
    writeFileSync(file, JSON.stringify(original, null, 2));
    await expect.poll(() => broken.getAttribute('data-state'), { timeout: LIVE_TIMEOUT_MS }).toBe('valid');
  });

  it('logged no page errors', () => {
    expect(errors).toEqual([]);
  });
});
