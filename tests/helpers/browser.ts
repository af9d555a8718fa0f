/**
 * Real Chromium for the e2e tests, set up one way: the wall built, the artifacts folder made, the
 * Debian browser launched with the flags that keep it quiet and off the network; pages of a given
 * size whose console and page errors are collected; screenshots bounded by a timeout of our own.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  chromium,
  type Browser,
  type BrowserContextOptions,
  type Page,
  type PageScreenshotOptions,
} from 'playwright-core';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Screenshots for a person to look at. */
const ARTIFACTS = fileURLToPath(new URL('../e2e/artifacts/', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
/** No sandbox (root in CI), no GPU, and none of the browser's own traffic (updates, sync, QUIC probes). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/**
 * A screenshot waits for fonts and a settled frame; on a loaded 2-core machine a 4K one has taken
 * longer than Playwright's 30 s default. Generous, and never an assertion about speed.
 */
const SCREENSHOT_TIMEOUT_MS = 120_000;

/** Launches Chromium (with `args` besides the usual ones), after making sure there is a wall to load. */
export async function launchBrowser(args: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing: run scripts/install-test-deps.sh`);
  // `npm test` builds the wall first; a lone `npm run test:e2e` on a fresh checkout needs it too.
  if (!existsSync(`${ROOT}dist/client/index.html`)) {
    await build({ configFile: `${ROOT}vite.config.ts`, logLevel: 'warn' });
  }
  await mkdir(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...args] });
}

/**
 * Collects the page's console errors and uncaught errors into `errors`, each named by `label`;
 * `allowed` says which console errors the test expects (a refusal the page is meant to meet).
 */
export function collectErrors(
  page: Page,
  label: string,
  errors: string[],
  allowed: (text: string) => boolean = () => false,
): Page {
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !allowed(msg.text())) errors.push(`${label} console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`${label} page: ${err.message}`));
  return page;
}

/** A new page in a context of its own (empty storage) at `width`×`height`, its errors collected. */
export async function openPage(
  browser: Browser,
  size: { width: number; height: number },
  errors: { label: string; into: string[]; allowed?: (text: string) => boolean },
  options: BrowserContextOptions = {},
): Promise<Page> {
  const page = await browser.newPage({ viewport: size, deviceScaleFactor: 1, ...options });
  return collectErrors(page, errors.label, errors.into, errors.allowed);
}

/** Saves `tests/e2e/artifacts/<name>.png`. */
export async function screenshot(
  page: Page,
  name: string,
  options: Omit<PageScreenshotOptions, 'path'> = {},
): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, timeout: SCREENSHOT_TIMEOUT_MS, ...options });
}
