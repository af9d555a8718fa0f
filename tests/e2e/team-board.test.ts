/**
 * The console's team and volunteer board (队伍 / 志愿者) in real Chromium against the real server, at
 * 1920×1080: a town's dispatcher sees its own 支队 and 小队 only, a 小队's volunteers with their
 * status (在岗 after a check-in, 服务中 on a claimed order), masked names and where they checked in;
 * the district's sees the 总队 and every 支队. The candidates say where their distance is measured
 * from (最近签到 / 所在站). Screenshots land in tests/e2e/artifacts/team-board-*.png for a person to look at.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/dispatch.js';
import type { NetworkNode } from '../../shared/network.js';
import type { TeamBoard, TeamMembers } from '../../shared/teams.js';
import { checkin } from '../helpers/events.js';
import { startServer, type RunningServer } from '../helpers/server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];
const LIVE_TIMEOUT_MS = 60_000;
const TOWN = { username: 'zhou', password: 'zhou-dispatch-pw' };
const CENTER = { username: 'wang', password: 'wang-dispatch-pw' };

let server: RunningServer | undefined;
let browser: Browser | undefined;
let cookie = '';
let team = '';
let claimant = '';
/** An order at the team's station waiting for someone: its candidates. */
let waiting = '';
const errors: string[] = [];

/** The values of one attribute over every match of a selector. */
const attributes = async (page: Page, selector: string, name: string): Promise<string[]> =>
  Promise.all((await page.locator(selector).all()).map(async (l) => (await l.getAttribute(name)) ?? ''));

async function call<T>(path: string, body?: unknown): Promise<T> {
  if (!server) throw new Error('setup did not run');
  const res = await fetch(`${server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', cookie },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** An order at a venue, dispatched to the team's station and, given a volunteer, taken (接单) by them. */
async function orderAt(venueId: string, stationId: string, volunteerId?: string): Promise<OrderView> {
  let { order } = await call<{ order: OrderView }>('/api/v1/orders', {
    commandId: randomUUID(),
    venueId,
    title: '助老理发上门',
  });
  const steps = [
    { type: 'accept' },
    { type: 'dispatch_institute', instituteId: 'I05' },
    { type: 'dispatch_station', stationId },
    ...(volunteerId ? [{ type: 'claim', assignee: { kind: 'volunteer', id: volunteerId } }] : []),
  ];
  for (const step of steps) {
    const body = { ...step, commandId: randomUUID(), orderId: order.id, expectedVersion: order.version };
    ({ order } = await call<{ order: OrderView }>(`/api/v1/orders/${order.id}/commands`, body));
  }
  return order;
}

async function openDesk(user: { username: string; password: string }): Promise<Page> {
  if (!browser || !server) throw new Error('setup did not run');
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('pageerror', (err) => errors.push(`${user.username} page: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().includes('401')) errors.push(`${user.username}: ${msg.text()}`);
  });
  await page.goto(`${server.url}/dispatch`);
  await page.fill('[data-login] input[name="username"]', user.username);
  await page.fill('[data-login] input[name="password"]', user.password);
  await page.click('[data-login] button[type="submit"]');
  await expect
    .poll(() => page.locator('[data-connection]').getAttribute('data-state'), { timeout: LIVE_TIMEOUT_MS })
    .toBe('connected');
  await page.click('[data-console-tabs] [data-tab="teams"]');
  return page;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing: run scripts/install-test-deps.sh`);
  if (!existsSync(`${ROOT}dist/client/index.html`))
    await build({ configFile: `${ROOT}vite.config.ts`, logLevel: 'warn' });
  await mkdir(ARTIFACTS, { recursive: true });
  // A tenth of the registry (13,600 volunteers): about ten in a 小队.
  server = await startServer({
    env: { DISPATCH_AUTO_ESCALATE: '0', BACKFILL_SCALE: '0.1' },
    users: [
      { ...TOWN, role: 'dispatcher', scope: 'I05' },
      { ...CENTER, role: 'dispatcher', scope: 'district' },
    ],
  });
  cookie = await server.login(CENTER.username, CENTER.password);
  // A 小队 of I05 with three volunteers checked in at points of the town and one on an order …
  const nodes = (await call<{ nodes: NetworkNode[] }>('/api/network')).nodes;
  const board = await call<TeamBoard>('/api/v1/teams?town=I05');
  // 助老助残 (elderly), the skill the orders' 助老理发 needs: its members are the best-matched candidates.
  const chosen = board.teams.find((t) => t.members >= 6 && t.skill === 'elderly');
  if (!chosen) throw new Error('no 助老助残 team of six in I05');
  team = chosen.id;
  const members = (await call<TeamMembers>(`/api/v1/teams/members?team=${encodeURIComponent(team)}`)).members;
  const points = nodes.filter((n) => n.level === 'point' && n.instituteId === 'I05');
  const events = members
    .slice(0, 3)
    .map((m, i) =>
      checkin({ nodeId: points[i % points.length]?.id ?? chosen.stationId, volunteerId: m.id, activityId: 'ACT-E2E' }),
    );
  // … and a sixth at the point where the waiting order is: the nearest candidate, by 0 m.
  const venue = points.find((p) => p.parentId === chosen.stationId) ?? points[0];
  if (!venue) throw new Error('no point in I05');
  events.push(checkin({ nodeId: venue.id, volunteerId: members[5]?.id ?? '', activityId: 'ACT-E2E' }));
  const ingest = await fetch(`${server.url}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  if (!ingest.ok) throw new Error(`ingest answered ${ingest.status}`);
  claimant = members[4]?.id ?? '';
  await orderAt(chosen.stationId, chosen.stationId, claimant);
  waiting = (await orderAt(venue.id, chosen.stationId)).id;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('team and volunteer board', () => {
  it("shows a town's dispatcher its own 支队, its 小队 and a 小队's volunteers on duty and serving", async () => {
    const page = await openDesk(TOWN);
    await expect
      .poll(() => page.locator('[data-team-board] [data-level="team"]').count(), {
        timeout: LIVE_TIMEOUT_MS,
      })
      .toBeGreaterThan(10);
    expect(await page.locator('[data-level="corps"]').count()).toBe(0);
    expect(await attributes(page, '[data-level="branch"]', 'data-branch')).toEqual(['I05']);
    const teams = await attributes(page, '[data-level="team"]', 'data-team');
    expect(teams.every((id) => id.startsWith('I05:'))).toBe(true);

    await page.click(`[data-team="${team}"]`);
    const rows = page.locator('[data-team-members] [data-member]');
    await expect
      .poll(() => page.locator('[data-team-members] [data-status="on_duty"]').count(), {
        timeout: LIVE_TIMEOUT_MS,
      })
      .toBe(4);
    await expect.poll(() => page.locator(`[data-member="${claimant}"]`).getAttribute('data-status')).toBe('serving');
    expect(await page.locator(`[data-member="${claimant}"]`).textContent()).toContain('已接单 · 助老理发上门');
    expect(await page.locator('[data-team-members] [data-status="on_duty"]').first().textContent()).toContain('在岗');
    const names = await rows.locator('.who').allTextContents();
    expect(names.length).toBeGreaterThan(5);
    expect(names.every((n) => n.includes('*'))).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}team-board-town-1920x1080.png`, timeout: LIVE_TIMEOUT_MS });
    await page.context().close();
  });

  it('shows the district the 总队 and every 支队, a 支队 opening to its 小队', async () => {
    const page = await openDesk(CENTER);
    await expect.poll(() => page.locator('[data-level="branch"]').count(), { timeout: LIVE_TIMEOUT_MS }).toBe(9);
    expect(await page.locator('[data-level="corps"]').textContent()).toContain('志愿服务总队');
    await page.click('[data-branch="I05"]');
    await expect
      .poll(() => page.locator('[data-level="team"]').count(), { timeout: LIVE_TIMEOUT_MS })
      .toBeGreaterThan(10);
    await page.click(`[data-team="${team}"]`);
    await expect
      .poll(() => page.locator('[data-team-members] [data-member]').count(), { timeout: LIVE_TIMEOUT_MS })
      .toBeGreaterThan(5);
    await page.screenshot({ path: `${ARTIFACTS}team-board-district-1920x1080.png`, timeout: LIVE_TIMEOUT_MS });
    await page.context().close();
  });

  it('says where each candidate is measured from: the last check-in or the home station', async () => {
    const page = await openDesk(TOWN);
    await page.click('[data-console-tabs] [data-tab="orders"]');
    await page.locator(`[data-board] [data-order="${waiting}"]`).click({ timeout: LIVE_TIMEOUT_MS });
    const from = (source: string) => page.locator(`[data-candidates] [data-from="${source}"]`);
    await expect.poll(() => from('checkin').count(), { timeout: LIVE_TIMEOUT_MS }).toBeGreaterThan(0);
    expect(await from('checkin').first().textContent()).toMatch(/距 0 m\s*最近签到/);
    expect(await from('station').count()).toBeGreaterThan(0);
    expect(await from('station').first().textContent()).toMatch(/距 [0-9.]+ k?m\s*所在站/);
    await page.screenshot({ path: `${ARTIFACTS}team-board-candidates-1920x1080.png`, timeout: LIVE_TIMEOUT_MS });
    await page.context().close();
    expect(errors).toEqual([]);
  });
});
