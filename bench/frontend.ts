/**
 * The wall's front end in real Chromium against the real server: the initial JS it downloads
 * (gzipped), the time from navigation to the first live KPI figure, and the main thread's busy
 * time per second while 100 events/s stream in, beside the same wall idle.
 */
import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { build } from 'vite';
import { startServer, type RunningServer } from '../tests/helpers/server.js';
import { appealReceived, checkin } from '../tests/helpers/events.js';
import { launchChromium, waitForKpi } from './browser.js';
import { percentile, round, type BenchRow } from './lib.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = `${ROOT}dist/client/`;
const LOADS = 5;
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 20);

/** The scripts index.html loads up front (entry and module preloads), gzipped, and every chunk built. */
async function jsSizes(): Promise<{ initial: number; all: number }> {
  const html = await readFile(`${DIST}index.html`, 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
  const gz = async (file: string) => gzipSync(await readFile(`${DIST}${file}`), { level: 9 }).length;
  const every = (await readdir(`${DIST}assets`)).filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`);
  const sum = async (files: string[]) => (await Promise.all(files.map(gz))).reduce((a, b) => a + b, 0);
  return { initial: await sum(initial), all: await sum(every) };
}

async function openWall(browser: Browser, server: RunningServer, token: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(`${server.url}/?token=${token}`);
  return page;
}

/** Navigation start → a KPI tile shows a figure, and → DOMContentLoaded, in ms. */
async function firstKpi(browser: Browser, server: RunningServer, token: string): Promise<[number, number]> {
  const page = await openWall(browser, server, token);
  await waitForKpi(page);
  // Node's `performance` types stand in for the page's here (the bench compiles without the DOM library).
  const figures = await page.evaluate(() => {
    const nav = performance
      .getEntries()
      .find((e) => (e.entryType as string) === 'navigation')
      ?.toJSON() as { domContentLoadedEventEnd?: number } | undefined;
    return [performance.now(), nav?.domContentLoadedEventEnd ?? Number.NaN] as [number, number];
  });
  await page.close();
  return figures;
}

async function taskSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? Number.NaN;
}

/** Main-thread busy ms per second over SECONDS, while `feed` runs every 100 ms. */
async function busyPerSecond(page: Page, feed: () => Promise<void>): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const before = await taskSeconds(cdp);
  const started = performance.now();
  while (performance.now() - started < SECONDS * 1000) {
    await Promise.all([feed(), new Promise((r) => setTimeout(r, 100))]);
  }
  const elapsed = (performance.now() - started) / 1000;
  return (((await taskSeconds(cdp)) - before) * 1000) / elapsed;
}

export async function benchFrontend(): Promise<BenchRow[]> {
  if (!existsSync(`${DIST}index.html`)) await build({ configFile: `${ROOT}vite.config.ts`, logLevel: 'warn' });
  const sizes = await jsSizes();
  const server = await startServer({ env: { BACKFILL_SCALE: '0.05', SIMULATOR_RATE: '0', LOG_LEVEL: 'warn' } });
  const browser = await launchChromium();
  try {
    const token = await server.wallToken();
    const loads: [number, number][] = [];
    for (let i = 0; i < LOADS; i += 1) loads.push(await firstKpi(browser, server, token));
    const kpi = percentile(
      loads.map((l) => l[0]).sort((a, b) => a - b),
      50,
    );
    const dcl = percentile(
      loads.map((l) => l[1]).sort((a, b) => a - b),
      50,
    );

    const page = await openWall(browser, server, token);
    await waitForKpi(page);
    const idle = await busyPerSecond(page, async () => undefined);
    const nodes = ['S001', 'S002', 'S003', 'P0001', 'P0002'];
    const busy = await busyPerSecond(page, async () => {
      // 10 events per 100 ms = 100 updates/s: check-ins (KPI, trend, feed) and appeals (tiles, feed).
      const events = Array.from({ length: 10 }, (_, i) =>
        i % 5 === 0
          ? appealReceived({ nodeId: nodes[i % nodes.length] ?? 'S001' })
          : checkin({ nodeId: nodes[i % nodes.length] ?? 'S001' }),
      );
      await fetch(`${server.url}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
        body: JSON.stringify(events),
      });
    });
    return [
      {
        bench: 'frontend',
        metric: 'initial JS, gzipped',
        value: round(sizes.initial / 1024),
        unit: 'KiB',
        baseline: round(sizes.all / 1024),
        goal: 'baseline: every chunk built',
      },
      {
        bench: 'frontend',
        metric: 'navigation → first live KPI, p50 of 5',
        value: round(kpi),
        unit: 'ms',
        baseline: round(dcl),
        goal: 'baseline: DOMContentLoaded',
      },
      {
        bench: 'frontend',
        metric: 'main thread busy at 100 updates/s',
        value: round(busy),
        unit: 'ms/s',
        baseline: round(idle),
        goal: 'baseline: the same wall idle',
      },
    ];
  } finally {
    await browser.close();
    await server.stop();
  }
}
