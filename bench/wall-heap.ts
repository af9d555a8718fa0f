/**
 * A wall left on: the JS heap of one wall screen in real Chromium, sampled after a forced GC every
 * 30 s while the live simulator runs fast (a simulated evening compressed into the run), so a slow
 * creep shows as growth between the first and the last samples. `WALL_HEAP_MINUTES` (default 30).
 */
import { startServer } from '../tests/helpers/server.js';
import { launchChromium, waitForKpi } from './browser.js';
import { round, type BenchRow } from './lib.js';

const MINUTES = Number(process.env['WALL_HEAP_MINUTES'] ?? 30);
const SAMPLE_MS = 30_000;
const MiB = 1024 * 1024;

export async function benchWallHeap(): Promise<BenchRow[]> {
  // 200 events/s: ten times the demo's rate, so the run sees hours of an evening's traffic.
  const server = await startServer({ env: { BACKFILL_SCALE: '0.05', SIMULATOR_RATE: '200', LOG_LEVEL: 'warn' } });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${server.url}/?token=${await server.wallToken()}`);
    await waitForKpi(page);
    const cdp = await page.context().newCDPSession(page);
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      return usedSize / MiB;
    };
    const samples = [await heap()];
    const started = Date.now();
    while (Date.now() - started < MINUTES * 60_000) {
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
      samples.push(await heap());
      process.stderr.write(
        `wall heap ${round(samples.at(-1) ?? 0)} MiB after ${round((Date.now() - started) / 60_000)} min\n`,
      );
    }
    // The first minutes hold one-time growth (fonts, map tiles of the canvas, chart instances).
    const settled = samples[Math.min(2, samples.length - 1)] ?? Number.NaN;
    const last = samples.at(-1) ?? Number.NaN;
    return [
      {
        bench: 'wall-heap',
        metric: `JS heap after ${MINUTES} min at 200 events/s`,
        value: round(last),
        unit: 'MiB',
        baseline: round(settled),
        goal: 'baseline: after the first minute; no creep',
      },
      { bench: 'wall-heap', metric: 'largest sample', value: round(Math.max(...samples)), unit: 'MiB' },
    ];
  } finally {
    await browser.close();
    await server.stop();
  }
}
