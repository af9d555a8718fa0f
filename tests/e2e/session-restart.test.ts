/**
 * A dispatcher's console in real Chromium across a restart of the real server: the page loses its
 * link, the server comes back on the same data, and the console reconnects by itself on the same
 * session — no login form, orders back on the board. Screenshot in tests/e2e/artifacts.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/dispatch.js';
import type { Network } from '../../shared/network.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { startServer, type RunningServer } from '../helpers/server.js';

const TIMEOUT_MS = 60_000;
const DESK = { username: 'zhao', password: 'zhao-dispatch-password' };

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ users: [{ ...DESK, role: 'dispatcher', scope: 'district' }] });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
  await server.stop();
});

describe('the dispatch console across a server restart', () => {
  it('reconnects on its session without a new login', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/dispatch`);
    await page.fill('[data-login] input[name="username"]', DESK.username);
    await page.fill('[data-login] input[name="password"]', DESK.password);
    await page.click('[data-login] button[type="submit"]');
    const state = () => page.locator('[data-connection]').getAttribute('data-state');
    await expect.poll(state, { timeout: TIMEOUT_MS }).toBe('connected');
    // An order taken by phone at this desk, to find on the board after the restart.
    const cookie = await server.login(DESK.username, DESK.password);
    const network = (await (await fetch(`${server.url}/api/network`, { headers: { cookie } })).json()) as Network;
    const venue = network.nodes.find((n) => n.level === 'station');
    const take = async (title: string): Promise<OrderView> => {
      const made = await fetch(`${server.url}/api/v1/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ commandId: randomUUID(), venueId: venue?.id, title }),
      });
      return ((await made.json()) as { order: OrderView }).order;
    };
    const order = await take('重启前的点单');
    const row = page.locator(`[data-board] [data-order="${order.id}"]`);
    await expect.poll(() => row.count(), { timeout: TIMEOUT_MS }).toBe(1);

    await server.stop();
    await expect.poll(state, { timeout: TIMEOUT_MS }).not.toBe('connected');
    server = await startServer({
      dataDir: server.dataDir,
      port: server.port,
      env: { USERS_FILE: join(server.dataDir, 'test-users.json') },
    });
    await expect.poll(state, { timeout: TIMEOUT_MS }).toBe('connected');
    expect(await page.locator('[data-login]').count()).toBe(0);
    await expect.poll(() => row.count(), { timeout: TIMEOUT_MS }).toBe(1);
    // And it keeps working: an order taken after the restart reaches the board live.
    const later = await take('重启后的点单');
    const laterRow = page.locator(`[data-board] [data-order="${later.id}"]`);
    await expect.poll(() => laterRow.count(), { timeout: TIMEOUT_MS }).toBe(1);
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).json());
    expect(me).toMatchObject({ id: DESK.username, role: 'dispatcher' });
    await screenshot(page, 'dispatch-after-restart');
    await context.close();
  });
});
