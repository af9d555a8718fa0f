/** Real Chromium for the front-end benchmarks, launched as the e2e tests launch it. */
import { chromium, type Browser, type Page } from 'playwright-core';

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync'],
  });

/** Resolves once the wall shows a live KPI figure (its check-ins tile holds a digit). */
export async function waitForKpi(page: Page, timeoutMs = 120_000): Promise<void> {
  // Polled from here: the wall's CSP (no 'unsafe-eval') refuses waitForFunction's string form.
  const tile = page.locator('[data-kpi="checkinsToday"]').first();
  const until = Date.now() + timeoutMs;
  while (!/\d/.test((await tile.textContent({ timeout: timeoutMs }).catch(() => '')) ?? '')) {
    if (Date.now() > until) throw new Error('no live KPI on the wall');
    await new Promise((r) => setTimeout(r, 10));
  }
}
