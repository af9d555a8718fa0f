/**
 * The whole field loop (issue 16) in real Chromium, each person on their own screen under a LAN host
 * name: a citizen's phone scans a 点's code and orders → the district desk 制单 and 派单 to the town →
 * the town's desk 派单 to the 站 and offers it to a volunteer → the volunteer's phone rings and
 * accepts → checks in by the 点's code (which starts the service) → completes with a note → the
 * citizen rates. A wall watching that 点's 站 shows each step on its feed. Phones are 390×844 with touch;
 * every page is screenshotted (`tests/e2e/artifacts/loop-*.png`).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderList, OrderView } from '../../shared/dispatch.js';
import type { OrderState } from '../../shared/events.js';
import type { NetworkNode } from '../../shared/network.js';
import { nodeLink } from '../../shared/node-link.js';
import { headersFor, type Credential } from '../helpers/auth.js';
import { collectErrors, launchBrowser, screenshot } from '../helpers/browser.js';
import { command, networkNodes, postCommand } from '../helpers/dispatch.js';
import { eventually, startServer, type RunningServer } from '../helpers/server.js';
import { offerOrder, readyVolunteer, type TestVolunteer } from '../helpers/volunteer.js';

const HOST = 'wall.lan.test';
const LIVE_MS = 60_000;
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const TOWN = 'I02';
const DESK = { username: 'desk', password: 'district desk password', role: 'dispatcher', scope: 'district' } as const;
const TOWN_DESK = { username: 'town-desk', password: 'town desk password', role: 'dispatcher', scope: TOWN } as const;
/** Before the volunteer logs in, the shell asks who is there; a wrong tracking token is a 404 page. */
const EXPECTED = (text: string) => /401|status of 401/.test(text);

let server: RunningServer;
let browser: Browser;
let desk: Credential;
let townDesk: { cookie: string };
let point: NetworkNode;
let station: NetworkNode;
let origin: string;
let volunteer: TestVolunteer;
const errors: string[] = [];

async function phonePage(label: string): Promise<Page> {
  const context = await browser.newContext(PHONE);
  return collectErrors(await context.newPage(), label, errors, EXPECTED);
}

/** The order the citizen made: the newest one at the 点. */
async function orderAt(nodeId: string, since: number): Promise<OrderView> {
  return eventually(async () => {
    const r = await server.fetch(`${server.url}/api/v1/orders`, { headers: headersFor(desk) });
    return ((await r.json()) as OrderList).orders.find((o) => o.venueId === nodeId && o.createdAt >= since);
  });
}

async function drive(who: Credential, order: OrderView, body: Record<string, unknown>): Promise<OrderView> {
  const answer = await postCommand(server, who, order.id, command(order.id, order.version, body));
  if (!answer.ack.ok) throw new Error(`${String(body['type'])}: ${answer.ack.error.code}`);
  return answer.ack.data.order;
}

/**
 * The wall's feed lines at the 点 or its 站, as their badges' words, newest first. An order's steps
 * are placed on the node holding it (server/dispatch/events.ts): the 点单 on the 点, the 站's 派单,
 * 接单 and 服务 on its 站 — so the wall watches the 站, whose scope holds the 点.
 */
const feedAt = (wall: Page) =>
  wall.evaluate<string[]>(`[...document.querySelectorAll('[data-feed] .row')]
    .filter((row) => ${JSON.stringify([point.name, station.name])}.includes(row.querySelector('.node')?.textContent))
    .map((row) => row.querySelector('.badge')?.textContent ?? '')`);
/** The feed's words for each step (client/i18n/zh-CN.ts feed.orderStates), as the wall shows them. */
const WORDS: Partial<Record<OrderState | 'checkin', string>> = {
  requested: '点单',
  dispatched_station: '派单·站',
  claimed: '接单',
  in_service: '服务中',
  completed: '完成',
  rated: '评价',
  checkin: '签到',
};
const stateWord = (s: OrderState | 'checkin') => WORDS[s] ?? s;

beforeAll(async () => {
  server = await startServer({ users: [DESK, TOWN_DESK] });
  desk = { cookie: await server.login(DESK.username, DESK.password) };
  townDesk = { cookie: await server.login(TOWN_DESK.username, TOWN_DESK.password) };
  const nodes = await networkNodes(server, desk);
  point = nodes.find((n) => n.level === 'point' && n.instituteId === TOWN) as NetworkNode;
  station = nodes.find((n) => n.id === point.parentId) as NetworkNode;
  const admin = await server.login();
  volunteer = await readyVolunteer(server, admin, { instituteId: TOWN, stationId: station.id });
  origin = `http://${HOST}:${server.port}`;
  browser = await launchBrowser([`--host-resolver-rules=MAP ${HOST} 127.0.0.1`]);
});
afterAll(async () => {
  await browser.close();
  await server.stop();
});

describe('the field loop, person by person', () => {
  it('takes a citizen’s 点单 from a 点’s code to the rating, a wall at its 站 showing each step', async () => {
    const since = Date.now() - 1;
    const wallToken = (await server.createToken({ role: 'wall', label: 'loop wall' })).token;
    const wallContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const wall = collectErrors(await wallContext.newPage(), 'wall', errors);
    await wall.goto(`${origin}/?token=${wallToken}&scope=${station.id}`);
    await wall.locator('[data-feed]').first().waitFor({ timeout: LIVE_MS });
    const wallShows = async (word: string) => expect.poll(() => feedAt(wall), { timeout: LIVE_MS }).toContain(word);

    // The citizen scans the 点's code: the link its poster carries.
    const citizen = await phonePage('citizen');
    const link = nodeLink(origin, point.code) ?? '';
    await citizen.goto(link);
    await expect.poll(() => citizen.locator('[data-node-name]').textContent(), { timeout: LIVE_MS }).toBe(point.name);
    await screenshot(citizen, 'loop-1-node-page');
    await citizen.tap('[data-open-order]');
    await citizen.tap('[data-category="elderly"]');
    await citizen.locator('[data-slot]').first().tap();
    await citizen.fill('textarea[name="note"]', '老人腿脚不便，需要陪同去卫生院复诊');
    await citizen.fill('input[name="phone"]', '13987654321');
    await citizen.tap('[data-order-submit]');
    await citizen.locator('[data-track-link]').waitFor({ timeout: LIVE_MS });
    await screenshot(citizen, 'loop-2-ordered');
    await citizen.tap('[data-track-open]');
    await citizen.waitForURL(/\/t#/);
    const current = () => citizen.locator('[data-steps] [data-kind="current"]').getAttribute('data-step');
    await expect.poll(current, { timeout: LIVE_MS }).toBe('requested');
    await wallShows(stateWord('requested'));

    // The district desk: 制单, then 派单 to the town; the town's desk: 派单 to the 点's 站, offered to the volunteer.
    let order = await orderAt(point.id, since);
    order = await drive(desk, order, { type: 'accept' });
    await expect.poll(current, { timeout: LIVE_MS }).toBe('accepted');
    order = await drive(desk, order, { type: 'dispatch_institute', instituteId: TOWN });
    order = await drive(townDesk, order, { type: 'dispatch_station', stationId: station.id });
    await wallShows(stateWord('dispatched_station'));
    await screenshot(citizen, 'loop-3-track-dispatched');

    // The volunteer's phone, logged in before the offer comes.
    const phone = await phonePage('volunteer');
    await phone.context().addInitScript({
      content: 'window.vibrations = 0; navigator.vibrate = () => { window.vibrations += 1; return true; };',
    });
    await phone.goto(`${origin}/m`);
    await phone.fill('input[name="phone"]', volunteer.phone);
    await phone.fill('input[name="password"]', volunteer.password);
    await phone.locator('button[type="submit"]').tap();
    await expect
      .poll(() => phone.locator('[data-field-shell]').getAttribute('data-connection'), { timeout: LIVE_MS })
      .toBe('connected');
    expect((await offerOrder(server, townDesk.cookie, order.id, volunteer.id)).status).toBe(201);
    await expect.poll(() => phone.locator('[data-ringing]').count(), { timeout: LIVE_MS }).toBe(1);
    expect(await phone.evaluate('window.vibrations')).toBeGreaterThan(0);
    await screenshot(phone, 'loop-4-phone-rings');
    await phone.locator('[data-ringing]').tap();
    await phone.locator('[data-accept]').tap();
    await expect.poll(() => phone.locator('[data-start]').count(), { timeout: LIVE_MS }).toBe(1);
    await expect.poll(current, { timeout: LIVE_MS }).toBe('claimed');
    await wallShows(stateWord('claimed'));
    await screenshot(citizen, 'loop-5-track-claimed');

    // At the 点: the volunteer opens its code's link (what the camera would read) and is checked in.
    await phone.goto(`${origin}/m/checkin/${link.split('/c/')[1] ?? ''}`);
    await expect
      .poll(() => phone.locator('[data-outcome]').getAttribute('data-outcome'), { timeout: LIVE_MS })
      .toBe('checkin');
    // Plain http under a LAN name is not a secure context: the browser gives no position, and the
    // check-in stands without one (tests/server/activities/duty.int.test.ts records near and far).
    expect(await phone.locator('[data-near]').textContent()).toContain('未获取到位置');
    await screenshot(phone, 'loop-6-phone-checked-in');
    await wallShows(stateWord('checkin'));
    // Checking in at the order's place starts the service.
    await expect.poll(current, { timeout: LIVE_MS }).toBe('in_service');
    await wallShows(stateWord('in_service'));

    await phone.goto(`${origin}/m`);
    await phone.locator(`[data-task="${order.id}"]`).tap();
    await phone.fill('textarea[name="note"]', '已陪同复诊，药已取回');
    await screenshot(phone, 'loop-7-phone-in-service');
    await phone.locator('[data-complete]').tap();
    await expect.poll(() => phone.locator('[data-task-done]').count(), { timeout: LIVE_MS }).toBe(1);
    await screenshot(phone, 'loop-8-phone-done');
    // Done: every step ticked on the citizen's page, which now asks for the rating.
    await citizen.locator('[data-rating-form]').waitFor({ timeout: LIVE_MS });
    await wallShows(stateWord('completed'));

    // The citizen rates, and the wall shows it.
    await citizen.locator('[data-star="5"]').tap();
    await citizen.fill('textarea[name="comment"]', '志愿者很耐心，谢谢！');
    await screenshot(citizen, 'loop-9-rating');
    await citizen.tap('[data-rating-submit]');
    await citizen.locator('[data-rated]').waitFor({ timeout: LIVE_MS });
    await wallShows(stateWord('rated'));
    await screenshot(citizen, 'loop-10-rated');
    await screenshot(wall, 'loop-11-wall-at-point');
    expect(errors).toEqual([]);
  });
});
