/**
 * The evaluation report for a year (issue 17.4): how long making one takes — its figures (the
 * evaluation of the year and the year before for 所 and 站, the brands, practice reports' reach,
 * appeals' closure, each on the store cut at the period's end) and printing them with Chromium —
 * beside the evaluation query alone (the year's 所 ranking, as the wall's panel runs it), in the
 * same run. The year is this one (January to now: the seed's history); the report is rendered,
 * not archived.
 *
 * The store: BENCH_DATA_DIR (e.g. the 100-million-event seed of the `queries` bench), or a year of
 * the default seed made here in a temporary directory.
 */
import pino from 'pino';
import { DEFAULT_EVALUATION } from '../shared/evaluation.js';
import { periodRange, type PeriodRange } from '../shared/report.js';
import { UTC_OFFSET_MS } from '../shared/time-zone.js';
import { QUERIES } from '../server/queries/index.js';
import { reportData } from '../server/reports/data.js';
import { ReportService } from '../server/reports/service.js';
import { WeightsService } from '../server/reports/weights.js';
import { openStore } from '../server/store/index.js';
import type { Transport } from '../server/store/transport.js';
import { round, seedYear, type BenchRow } from './lib.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

export async function benchReport(): Promise<BenchRow[]> {
  const dir = process.env['BENCH_DATA_DIR'] ?? seedYear('report');
  const store: Transport = await openStore({ dataDir: dir, clickhouseUrl: '' });
  try {
    const [size] = await store.query<{ n: number }>('SELECT count() AS n FROM events');
    const weights = new WeightsService(store, DEFAULT_EVALUATION);
    const version = await weights.load();
    const year = new Date(Date.now() + UTC_OFFSET_MS).getUTCFullYear();
    const range = periodRange('year', `${year}-01-01`) as PeriodRange;
    const district = { id: 'district', name: '全区', nodes: null };
    const service = new ReportService({
      store,
      weights,
      county: 'bench',
      chromiumPath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      scope: () => district,
      log: pino({ level: 'warn' }),
    });
    const samples = { report: [] as number[], figures: [] as number[], evaluation: [] as number[], bytes: 0 };
    const now = Date.now();
    for (let i = 0; i < RUNS; i += 1) {
      samples.evaluation.push(
        await timed(() =>
          QUERIES.evaluation.run(
            { store, now, config: { evaluation: DEFAULT_EVALUATION } },
            { period: 'year', level: 'institute' },
            null,
          ),
        ),
      );
      samples.figures.push(await timed(() => reportData(store, 'bench', range, district, version)));
      samples.report.push(
        await timed(async () => {
          samples.bytes = (await service.render(range, district, version, now)).pdf.length;
        }),
      );
    }
    const where = `${(size?.n ?? 0).toLocaleString('en')} events, year ${year}, median of ${RUNS}`;
    const baseline = round(median(samples.evaluation));
    return [
      {
        bench: 'report',
        metric: `a year's report, figures + Chromium PDF (${where}; ${Math.round(samples.bytes / 1024)} KiB)`,
        value: round(median(samples.report)),
        unit: 'ms',
        baseline,
      },
      {
        bench: 'report',
        metric: "the year's report figures alone (every query, both years)",
        value: round(median(samples.figures)),
        unit: 'ms',
        baseline,
      },
    ];
  } finally {
    await store.close();
  }
}
