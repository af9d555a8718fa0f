/** Real Chromium for the front-end benchmarks, launched as the e2e tests launch it. */
import { chromium, type Browser, type Page } from 'playwright-core';

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync'],
  });

/** Resolves once the wall shows a live KPI figure (its check-ins tile holds a digit). */
export async function waitForKpi(page: Page): Promise<void> {
  // A string expression: the bench compiles without the DOM library.
  await page.waitForFunction(
    `/\\d/.test(document.querySelector('[data-kpi="checkinsToday"]')?.textContent ?? '')`,
    undefined,
    {
      timeout: 120_000,
    },
  );
}
