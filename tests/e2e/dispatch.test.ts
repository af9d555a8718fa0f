/**
 * The dispatch console in real Chromium against the real server: two dispatchers in two browser
 * contexts (their own session cookies). A drag in one shows in the other, with presence and notes;
 * a drag made on a version the other dispatcher already moved past is refused with the reason and
 * who changed it, and the optimistic change is rolled back. Screenshots land in tests/e2e/artifacts.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/dispatch.js';
import type { OrderCommand } from '../../shared/orders.js';
import type { Network } from '../../shared/network.js';
import { collectErrors, launchBrowser, screenshot } from '../helpers/browser.js';
import { startServer, type RunningServer } from '../helpers/server.js';

const LIVE_TIMEOUT_MS = 60_000;
const WANG = { username: 'wang', password: 'wang-dispatch-pw', name: 'wang' };
const LI = { username: 'li', password: 'li-dispatch-pw', name: 'li' };
/** A town's desk (永安镇, I05): the orders of these tests are in I02, none waits for it. */
const ZHOU = { username: 'zhou', password: 'zhou-dispatch-pw', name: 'zhou' };

let server: RunningServer | undefined;
let browser: Browser | undefined;
let network: Network | undefined;
let cookie = '';
const errors: string[] = [];

async function rest<T>(path: string, body: unknown): Promise<T> {
  if (!server) throw new Error('setup did not run');
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** 群众点单 at a station, then the center's and the town's steps over REST, up to `until`. */
async function orderAt(
  until: 'accepted_by_center' | 'dispatched_institute' | 'dispatched_station',
): Promise<OrderView> {
  const station = network?.nodes.find((n) => n.level === 'station' && n.instituteId === 'I02');
  if (!station) throw new Error('no station in I02');
  let { order } = await rest<{ order: OrderView }>('/api/v1/orders', {
    commandId: randomUUID(),
    venueId: station.id,
    title: '助老理发上门',
  });
  const steps: OrderCommand[] = [
    { type: 'accept' },
    { type: 'dispatch_institute', instituteId: 'I02' },
    { type: 'dispatch_station', stationId: station.id },
  ];
  for (const step of steps) {
    if (order.state === until) break;
    const body = { ...step, commandId: randomUUID(), orderId: order.id, expectedVersion: order.version };
    ({ order } = await rest<{ order: OrderView }>(`/api/v1/orders/${order.id}/commands`, body));
  }
  return order;
}

interface Desk {
  context: BrowserContext;
  page: Page;
}

/** A dispatcher's own browser context (own cookies), logged in through the console's form. */
async function openDesk(user: { username: string; password: string }): Promise<Desk> {
  if (!browser || !server) throw new Error('setup did not run');
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 });
  // The console asks "who am I" before login; that 401 is the expected way to the form.
  const page = collectErrors(await context.newPage(), user.username, errors, (text) => text.includes('401'));
  await page.goto(`${server.url}/dispatch`);
  await page.fill('[data-login] input[name="username"]', user.username);
  await page.fill('[data-login] input[name="password"]', user.password);
  await page.click('[data-login] button[type="submit"]');
  await expect
    .poll(() => page.locator('[data-connection]').getAttribute('data-state'), { timeout: LIVE_TIMEOUT_MS })
    .toBe('connected');
  return { context, page };
}

const row = (page: Page, id: string) => page.locator(`[data-board] [data-order="${id}"]`);
const stateOf = (page: Page, id: string) => row(page, id).getAttribute('data-state');

describe('dispatch console', () => {
  beforeAll(async () => {
    server = await startServer({
      users: [
        { username: WANG.username, password: WANG.password, role: 'dispatcher', scope: 'district' },
        { username: LI.username, password: LI.password, role: 'dispatcher', scope: 'district' },
        { username: ZHOU.username, password: ZHOU.password, role: 'dispatcher', scope: 'I05' },
      ],
    });
    cookie = await server.login(LI.username, LI.password);
    network = (await (await fetch(`${server.url}/api/network`, { headers: { cookie } })).json()) as Network;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows a drag in one console in the other, with presence and notes', async () => {
    const order = await orderAt('dispatched_institute');
    const wang = await openDesk(WANG);
    const li = await openDesk(LI);
    await expect.poll(() => stateOf(li.page, order.id), { timeout: LIVE_TIMEOUT_MS }).toBe('dispatched_institute');

    // li opens the order: wang sees "li 正在处理" on the board.
    await row(li.page, order.id).click();
    await expect.poll(() => row(wang.page, order.id).locator('[data-presence]').textContent()).toContain('li 正在处理');

    // wang drags the order onto one of its town's stations (层层派单, second level).
    await row(wang.page, order.id).click();
    const station = wang.page.locator(`[data-kind="station"][data-target="${order.venueId}"]`);
    await row(wang.page, order.id).dragTo(station);
    await expect.poll(() => stateOf(li.page, order.id), { timeout: LIVE_TIMEOUT_MS }).toBe('dispatched_station');

    // Then onto the top volunteer among the candidates (接单; team ids hold a colon): li's console shows who has it.
    const candidate = wang.page.locator('[data-candidates] [data-candidate]:not([data-candidate*=":"])').first();
    await expect.poll(() => candidate.count(), { timeout: LIVE_TIMEOUT_MS }).toBe(1);
    const chosen = await candidate.getAttribute('data-candidate');
    await row(wang.page, order.id).dragTo(candidate);
    await expect.poll(() => stateOf(li.page, order.id), { timeout: LIVE_TIMEOUT_MS }).toBe('claimed');
    expect(await wang.page.locator('[data-detail]').getAttribute('data-version')).toBe(String(order.version + 2));
    expect(chosen).toBeTruthy();

    // The volunteer shows masked; wang asks for the phone (audited) and sees it in full.
    const assignee = wang.page.locator('[data-detail] [data-assignee]');
    // The name comes with the volunteer's push, a frame after the order's: wait for it, not for luck.
    await expect.poll(() => assignee.textContent()).toContain('*');
    await assignee.locator('[data-reveal]').click();
    await expect.poll(() => assignee.locator('[data-contact]').textContent()).toMatch(/1[0-9]{10}/);
    const admin = (await server?.login()) ?? '';
    const audit = await fetch(`${server?.url}/api/v1/audit?action=personal.view`, { headers: { cookie: admin } });
    const trail = (await audit.json()) as { entries: { actor: string; subject: string; result: string }[] };
    expect(trail.entries[0]).toMatchObject({ actor: WANG.username, subject: `volunteer:${chosen}`, result: 'ok' });

    // A note from li appears in wang's console without a refresh.
    await li.page.fill('[data-notes] input[name="note"]', '已电话联系老人，下午三点上门');
    await li.page.press('[data-notes] input[name="note"]', 'Enter');
    await expect
      .poll(() => wang.page.locator('[data-notes] [data-note]').last().textContent(), { timeout: LIVE_TIMEOUT_MS })
      .toContain('下午三点上门');

    // The audit timeline names who did what.
    await expect
      .poll(() => wang.page.locator('[data-timeline]').textContent(), { timeout: LIVE_TIMEOUT_MS })
      .toContain('wang');
    await screenshot(wang.page, 'dispatch-wang-after-drag');
    await screenshot(li.page, 'dispatch-li-sees-drag');
    await wang.context.close();
    await li.context.close();
    expect(errors, JSON.stringify(errors)).toEqual([]);
  });

  it('takes a 点单 by phone from the form; the other console sees it at once', async () => {
    const station = network?.nodes.find((n) => n.level === 'station' && n.instituteId === 'I03');
    const town = network?.nodes.find((n) => n.id === 'I03');
    if (!station || !town) throw new Error('no station in I03');
    const wang = await openDesk(WANG);
    const li = await openDesk(LI);
    await wang.page.keyboard.press('o');
    const form = wang.page.locator('[data-request-form]');
    // A venue not picked from the list is refused in the form, before anything is sent.
    await form.locator('input[name="venue"]').fill('不存在的站');
    await form.locator('input[name="title"]').fill('独居老人代购药品');
    await form.locator('[data-request-submit]').click();
    await expect.poll(() => form.locator('[data-request-error]').textContent()).toContain('选择');
    // The list names each 站 or 点 with its town, as the dispatcher picks it.
    const options = await wang.page
      .locator('#request-venues option')
      .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
    const choice = options.find((o) => o.startsWith(`${station.name} · `)) ?? '';
    expect(choice).toContain(town.name.slice(0, 2));
    await form.locator('input[name="venue"]').fill(choice);
    await screenshot(wang.page, 'dispatch-order-form');
    await form.locator('[data-request-submit]').click();
    await expect.poll(() => form.count()).toBe(0);
    const detail = wang.page.locator('[data-detail]');
    await expect.poll(() => detail.locator('h2').textContent()).toBe('独居老人代购药品');
    const orderId = (await detail.getAttribute('data-order')) ?? '';
    expect(await detail.getAttribute('data-version')).toBe('1');
    await expect.poll(() => stateOf(li.page, orderId), { timeout: LIVE_TIMEOUT_MS }).toBe('requested');
    // The new order's trail names who took it.
    await expect
      .poll(() => wang.page.locator('[data-timeline]').textContent(), { timeout: LIVE_TIMEOUT_MS })
      .toContain('wang');
    await screenshot(wang.page, 'dispatch-order-by-phone');
    await wang.context.close();
    await li.context.close();
    expect(errors, JSON.stringify(errors)).toEqual([]);
  });

  it('refuses a stale drag with the reason and who changed it, and rolls the optimistic change back', async () => {
    const order = await orderAt('accepted_by_center');
    const wang = await openDesk(WANG);
    const li = await openDesk(LI);
    for (const desk of [wang, li]) {
      await expect.poll(() => stateOf(desk.page, order.id), { timeout: LIVE_TIMEOUT_MS }).toBe('accepted_by_center');
      await row(desk.page, order.id).click();
    }

    // wang's link drops: whatever li does now, wang's console still shows the order as it was.
    await wang.context.setOffline(true);
    await expect.poll(() => wang.page.locator('[data-connection]').getAttribute('data-state')).toBe('disconnected');

    // li dispatches it to 黄甲 (I04) first.
    await row(li.page, order.id).dragTo(li.page.locator('[data-kind="institute"][data-target="I04"]'));
    await expect.poll(() => stateOf(li.page, order.id), { timeout: LIVE_TIMEOUT_MS }).toBe('dispatched_institute');
    await expect
      .poll(() => li.page.locator('[data-detail]').getAttribute('data-version'))
      .toBe(String(order.version + 1));

    // wang, on the old version, drags it to 九江 (I03): shown at once, pending.
    await row(wang.page, order.id).dragTo(wang.page.locator('[data-kind="institute"][data-target="I03"]'));
    expect(await stateOf(wang.page, order.id)).toBe('dispatched_institute');
    expect(await row(wang.page, order.id).locator('.sending').count()).toBe(1);

    // Back online: the command goes out with the version wang saw and is refused.
    await wang.context.setOffline(false);
    // The reconnects tried while offline log a network error each (how many depends on how long li
    // took): provoked on purpose, so not counted against the later checks.
    errors.splice(
      0,
      errors.length,
      ...errors.filter((e) => !/^wang console: .*net::ERR_INTERNET_DISCONNECTED/.test(e)),
    );
    const refusal = wang.page.locator('[data-refusal]');
    await expect
      .poll(() => refusal.getAttribute('data-code'), { timeout: LIVE_TIMEOUT_MS })
      .toBe('ORDER_STALE_VERSION');
    const text = (await refusal.textContent()) ?? '';
    expect(text).toContain('工单已被他人更新');
    expect(text).toContain('li');
    expect(text).toContain('已派至所');
    // Rolled back to the server's order: li's dispatch to I04, not wang's to I03.
    await expect.poll(() => wang.page.locator('[data-detail] dd').nth(1).textContent()).toContain('黄甲');
    expect(await wang.page.locator('[data-detail]').getAttribute('data-version')).toBe(String(order.version + 1));
    expect(await row(wang.page, order.id).locator('.sending').count()).toBe(0);
    await screenshot(wang.page, 'dispatch-stale-refused');

    // The trail keeps the refused attempt beside li's accepted one.
    const detail = (await (
      await fetch(`${server?.url}/api/v1/orders/${order.id}`, { headers: { cookie } })
    ).json()) as {
      timeline: { actorId: string; result: string; code: string }[];
    };
    expect(detail.timeline.some((e) => e.actorId === 'wang' && e.code === 'ORDER_STALE_VERSION')).toBe(true);
    expect(detail.timeline.some((e) => e.actorId === 'li' && e.result === 'ok')).toBe(true);
    await wang.context.close();
    await li.context.close();
  });

  it("says so when 'g' finds no order waiting for this desk's step, instead of doing nothing", async () => {
    const zhou = await openDesk(ZHOU);
    await zhou.page.keyboard.press('g');
    const panel = zhou.page.locator('[data-nothing-urgent]');
    await expect.poll(() => panel.getAttribute('data-nothing-urgent')).toBe('true');
    expect(await panel.locator('small').textContent()).toContain('区中心');
    await zhou.context.close();
    expect(errors, JSON.stringify(errors)).toEqual([]);
  });
});
