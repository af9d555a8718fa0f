/**
 * Screens on the network: the wall (with its token), the login page and the dispatch console opened
 * in real Chromium under a host name that is not localhost (`wall.lan.test`, mapped to 127.0.0.1 by
 * Chromium's resolver rules), over plain http and over the server's own https (a self-signed test
 * certificate Chromium trusts by its key pin). Each renders with no failed request, no error
 * response and no console error. Over http the server once sent HSTS and CSP
 * upgrade-insecure-requests, so every script was asked for over https and the wall stayed black.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors, launchBrowser, screenshot } from '../helpers/browser.js';
import { startServer, type RunningServer, type TestUser } from '../helpers/server.js';
import { selfSignedCertificate } from '../helpers/tls.js';

const HOST = 'wall.lan.test';
const LIVE_TIMEOUT_MS = 120_000;
const DISPATCHER: TestUser = { username: 'desk', password: 'desk-dispatch-pw', role: 'dispatcher', scope: 'district' };

type Scheme = 'http' | 'https';
const servers: Partial<Record<Scheme, RunningServer>> = {};
let browser: Browser | undefined;

/**
 * A fresh context (no storage, no cookies) at `path` under the LAN name, with every failed request,
 * error response and console error collected. `expected` lists the refusals the page is meant to
 * meet (a login page asking who is there before anyone logged in).
 */
async function open(
  scheme: Scheme,
  path: string,
  expected: RegExp[] = [],
): Promise<{ page: Page; problems: string[] }> {
  const server = servers[scheme];
  if (!browser || !server) throw new Error('setup did not run');
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems: string[] = [];
  const allowed = (text: string) => expected.some((re) => re.test(text));
  page.on('requestfailed', (r) => problems.push(`failed ${r.url()}: ${r.failure()?.errorText ?? '?'}`));
  page.on('response', (r) => {
    const line = `${r.status()} ${r.url()}`;
    if (r.status() >= 400 && !allowed(line)) problems.push(line);
  });
  collectErrors(page, scheme, problems, allowed);
  await page.goto(`${scheme}://${HOST}:${server.port}${path}`);
  return { page, problems };
}

/** What the page met until now; closing its context aborts requests in flight, which are no failures. */
async function closed(page: Page, problems: string[]): Promise<void> {
  const seen = [...problems];
  await page.context().close();
  expect(seen).toEqual([]);
}

const state = (page: Page) => page.locator('[data-connection]').getAttribute('data-state');

describe('screens opened under a LAN host name', () => {
  beforeAll(async () => {
    const certificate = selfSignedCertificate([HOST]);
    [servers.http, servers.https] = await Promise.all([
      startServer({ users: [DISPATCHER], env: { SIMULATOR_RATE: '20' } }),
      startServer({ users: [DISPATCHER], env: { SIMULATOR_RATE: '20' }, tls: certificate }),
    ]);
    browser = await launchBrowser([
      `--host-resolver-rules=MAP ${HOST} 127.0.0.1`,
      // Trust exactly the test certificate's key, not every certificate error.
      `--ignore-certificate-errors-spki-list=${certificate.spki}`,
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([servers.http?.stop(), servers.https?.stop()]);
  });

  for (const scheme of ['http', 'https'] as const) {
    it(`shows the wall live over ${scheme}`, async () => {
      const token = await servers[scheme]?.wallToken();
      const { page, problems } = await open(scheme, `/?token=${token ?? ''}`);
      await expect
        .poll(async () => Number(await page.locator('[data-nodes]').getAttribute('data-nodes')), {
          timeout: LIVE_TIMEOUT_MS,
        })
        .toBeGreaterThan(0);
      await expect
        .poll(() => page.locator('[data-kpi="checkinsToday"]').textContent(), { timeout: LIVE_TIMEOUT_MS })
        .toMatch(/\d/);
      await expect.poll(() => state(page), { timeout: LIVE_TIMEOUT_MS }).toBe('connected');
      expect(await page.evaluate('location.protocol')).toBe(`${scheme}:`);
      // Over https the certificate is trusted, not clicked through: the page is a secure context.
      expect(await page.evaluate('window.isSecureContext')).toBe(scheme === 'https');
      await page.waitForTimeout(1500); // the charts' entry animations, for the screenshot only
      await screenshot(page, `lan-wall-${scheme}`);
      await closed(page, problems);
    });

    it(`shows the login page over ${scheme}`, async () => {
      const { page, problems } = await open(scheme, '/', [/^401 .*\/api\//, /status of 401/]);
      await expect.poll(() => page.locator('[data-login]').count(), { timeout: LIVE_TIMEOUT_MS }).toBe(1);
      await expect.poll(() => state(page), { timeout: LIVE_TIMEOUT_MS }).toBe('unauthorized');
      await screenshot(page, `lan-login-${scheme}`);
      await closed(page, problems);
    });

    it(`runs the dispatch console over ${scheme} after a dispatcher logs in`, async () => {
      const { page, problems } = await open(scheme, '/dispatch', [/^401 .*\/api\/auth\/me$/, /status of 401/]);
      await page.fill('[data-login] input[name="username"]', DISPATCHER.username);
      await page.fill('[data-login] input[name="password"]', DISPATCHER.password);
      await page.click('[data-login] button[type="submit"]');
      await expect.poll(() => state(page), { timeout: LIVE_TIMEOUT_MS }).toBe('connected');
      await expect.poll(() => page.locator('[data-board]').count(), { timeout: LIVE_TIMEOUT_MS }).toBe(1);
      const cookies = await page.context().cookies();
      expect(cookies.length).toBeGreaterThan(0);
      expect(cookies.every((c) => c.secure === (scheme === 'https'))).toBe(true);
      await screenshot(page, `lan-dispatch-${scheme}`);
      await closed(page, problems);
    });
  }
});
