/**
 * The wall's front end in real Chromium against the real server: the initial JS it downloads
 * (gzipped), the time from navigation to the first live KPI figure, and, at 1920×1080 and at
 * 3840×2160, the main thread's busy time per second while 100 events/s stream in, beside the same
 * wall idle, with the long tasks (over 50 ms: a frame the display waited for) seen meanwhile.
 * `BENCH_PROFILE=/tmp/wall` also records CPU profiles of each run (`/tmp/wall-1920×1080-busy.cpuprofile`…,
 * for Chromium's DevTools) and prints the functions that took the most time.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { build } from 'vite';
import { inputsHash, isFresh, writeStamp } from '../scripts/build-stamp.js';
import { startServer, type RunningServer } from '../tests/helpers/server.js';
import { appealReceived, checkin } from '../tests/helpers/events.js';
import { launchChromium, waitForKpi } from './browser.js';
import { percentile, round, type BenchRow } from './lib.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = `${ROOT}dist/client/`;
const LOADS = 5;
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 20);
const PROFILE = process.env['BENCH_PROFILE'];
/** A common wall PC's panel and a 4K one; the wall scales its 1920×1080 design to either. */
const VIEWPORTS = [
  { width: 1920, height: 1080, goal: 200 },
  { width: 3840, height: 2160, goal: 300 },
] as const;
/** What the wall's bundle is built from, as `npm start` stamps it (scripts/build-if-stale.ts). */
const INPUTS = ['client', 'shared', 'vite.config.ts', 'tsconfig.base.json', 'package.json', 'package-lock.json'];
const STAMP = { file: join(ROOT, 'dist/client-build.json'), output: join(ROOT, 'dist/client/index.html') };

/** Builds the wall unless the built one is of these very sources: a stale bundle would measure old code. */
async function buildIfStale(): Promise<void> {
  const inputs = inputsHash(ROOT, INPUTS);
  if (isFresh(STAMP, inputs)) return;
  await build({ configFile: `${ROOT}vite.config.ts`, logLevel: 'warn' });
  writeStamp(STAMP, inputs);
}

/** The scripts index.html loads up front (entry and module preloads), gzipped, and every chunk built. */
async function jsSizes(): Promise<{ initial: number; all: number }> {
  const html = await readFile(`${DIST}index.html`, 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
  const gz = async (file: string) => gzipSync(await readFile(`${DIST}${file}`), { level: 9 }).length;
  const every = (await readdir(`${DIST}assets`)).filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`);
  const sum = async (files: string[]) => (await Promise.all(files.map(gz))).reduce((a, b) => a + b, 0);
  return { initial: await sum(initial), all: await sum(every) };
}

async function openWall(
  browser: Browser,
  server: RunningServer,
  token: string,
  viewport: { width: number; height: number } = VIEWPORTS[0],
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: viewport.width, height: viewport.height } });
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

/** Chromium's main-thread totals, in seconds: all tasks, and the script, style and layout parts of them. */
const PARTS = ['TaskDuration', 'ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration'] as const;
type Parts = Record<(typeof PARTS)[number], number>;

async function taskSeconds(cdp: CDPSession): Promise<Parts> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const of = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
  return Object.fromEntries(PARTS.map((p) => [p, of(p)])) as Parts;
}

interface Busy {
  /** Main-thread busy ms per second. */
  perSecond: number;
  /** Long tasks (the browser's: over 50 ms) seen meanwhile, and the longest, in ms (0 if none). */
  longTasks: number;
  longest: number;
}

/**
 * Starts collecting the page's long tasks afresh. Node's `PerformanceObserver` types stand in for
 * the page's (the bench compiles without the DOM library); this runs in the page.
 */
async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const into: number[] = [];
    (globalThis as unknown as { benchLongTasks: number[] }).benchLongTasks = into;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) into.push(e.duration);
    }).observe({ type: 'longtask' as 'mark' });
  });
}

const longTasks = (page: Page): Promise<number[]> =>
  page.evaluate(() => (globalThis as unknown as { benchLongTasks: number[] }).benchLongTasks.splice(0));

/** Main-thread busy ms per second over SECONDS, while `feed` runs every 100 ms. */
async function busyPerSecond(page: Page, label: string, feed: () => Promise<void>, profile?: string): Promise<Busy> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  if (profile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await cdp.send('Profiler.start');
  }
  await watchLongTasks(page);
  const before = await taskSeconds(cdp);
  const started = performance.now();
  while (performance.now() - started < SECONDS * 1000) {
    await Promise.all([feed(), new Promise((r) => setTimeout(r, 100))]);
  }
  const elapsed = (performance.now() - started) / 1000;
  const after = await taskSeconds(cdp);
  const per = (p: keyof Parts) => round(((after[p] - before[p]) * 1000) / elapsed);
  const perSecond = per('TaskDuration');
  // Where it went (the rest of the tasks is mostly painting and compositing), for whoever reads the log.
  process.stderr.write(
    `  ${label}: ${perSecond} ms/s busy: script ${per('ScriptDuration')}, style ${per('RecalcStyleDuration')}, layout ${per('LayoutDuration')}\n`,
  );
  const tasks = await longTasks(page);
  if (profile) await saveProfile(cdp, profile);
  await cdp.detach();
  return { perSecond, longTasks: tasks.length, longest: Math.max(0, ...tasks) };
}

/** Writes the profile and prints the functions with the most self time (a quick look without DevTools). */
async function saveProfile(cdp: CDPSession, file: string): Promise<void> {
  const { profile } = await cdp.send('Profiler.stop');
  await writeFile(file, JSON.stringify(profile));
  const self = new Map<string, number>();
  const { samples = [], timeDeltas = [] } = profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  samples.forEach((id, i) => {
    const f = byId.get(id)?.callFrame;
    if (!f) return;
    const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + (timeDeltas[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30);
  process.stderr.write(`profile ${file}: self time of ${round(total)} ms sampled\n`);
  for (const [name, ms] of top) process.stderr.write(`  ${round(ms).toString().padStart(8)} ms  ${name}\n`);
}

/** The same wall idle, then at 100 updates/s from `feed`, at one viewport. */
async function wallAt(
  browser: Browser,
  server: RunningServer,
  token: string,
  viewport: { width: number; height: number },
  feed: () => Promise<void>,
  profile?: string,
): Promise<{ idle: Busy; busy: Busy }> {
  const page = await openWall(browser, server, token, viewport);
  try {
    await waitForKpi(page);
    const at = `${viewport.width}×${viewport.height}`;
    const idle = await busyPerSecond(
      page,
      `${at} idle`,
      async () => undefined,
      profile && `${profile}-${at}-idle.cpuprofile`,
    );
    const busy = await busyPerSecond(page, `${at} 100 updates/s`, feed, profile && `${profile}-${at}-busy.cpuprofile`);
    return { idle, busy };
  } finally {
    await page.close();
  }
}

export async function benchFrontend(): Promise<BenchRow[]> {
  await buildIfStale();
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

    const nodes = ['S001', 'S002', 'S003', 'P0001', 'P0002'];
    // 10 events per 100 ms = 100 updates/s: check-ins (KPI, trend, feed) and appeals (tiles, feed).
    const feed = async () => {
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
    };
    const walls = [];
    for (const viewport of VIEWPORTS) {
      walls.push({
        viewport,
        ...(await wallAt(browser, server, token, viewport, feed, PROFILE)),
      });
    }
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
      ...walls.flatMap(({ viewport, idle, busy }) => {
        const at = `${viewport.width}×${viewport.height}`;
        return [
          {
            bench: 'frontend',
            metric: `main thread busy at 100 updates/s, ${at}`,
            value: round(busy.perSecond),
            unit: 'ms/s',
            baseline: round(idle.perSecond),
            goal: `≤ ${viewport.goal} ms/s; baseline: the same wall idle`,
          },
          {
            bench: 'frontend',
            metric: `longest task at 100 updates/s, ${at} (${busy.longTasks} over 50 ms; idle: ${idle.longTasks})`,
            value: round(busy.longest),
            unit: 'ms',
            baseline: round(idle.longest),
            goal: '≤ 50 ms; baseline: the same wall idle',
          },
        ];
      }),
    ];
  } finally {
    await browser.close();
    await server.stop();
  }
}
