/** `npm run bench [name…]`: runs the benchmarks (all by default) and prints one table. */
import { benchCluster } from './cluster.js';
import { benchDispatch } from './dispatch.js';
import { benchFaults } from './faults.js';
import { benchField } from './field.js';
import { benchFrontend } from './frontend.js';
import { benchIngest } from './ingest.js';
import { benchLatency } from './latency.js';
import { benchMeeting } from './meeting.js';
import { benchQueries } from './queries.js';
import { benchReplay } from './replay.js';
import { benchReport } from './report.js';
import { benchSoak } from './soak.js';
import { benchSubscriptions } from './subscriptions.js';
import { benchWallHeap } from './wall-heap.js';
import { printTable, type BenchRow } from './lib.js';

const BENCHES: Record<string, () => Promise<BenchRow[]>> = {
  ingest: benchIngest,
  latency: benchLatency,
  dispatch: benchDispatch,
  subscriptions: benchSubscriptions,
  queries: benchQueries,
  frontend: benchFrontend,
  /** Meeting control: a tablet's command to a group of 10 walls, beside a live tick to them. */
  meeting: benchMeeting,
};
/** Long runs, only when named: `npm run bench -- soak`. */
const ON_REQUEST: Record<string, () => Promise<BenchRow[]>> = {
  soak: benchSoak,
  'wall-heap': benchWallHeap,
  faults: benchFaults,
  /** The field loop (issue 16): 2,000 phones set up first, a few minutes. */
  field: benchField,
  /** 回放 at 120× beside live refresh; seeds a year in a temporary directory unless BENCH_DATA_DIR. */
  replay: benchReplay,
  /** Several nodes (issue 18.6): three nodes, Redis, a ClickHouse server, up to 4,000 screens; about five minutes. */
  cluster: benchCluster,
  /** A year's evaluation report (figures + Chromium PDF) beside the evaluation query alone. */
  report: benchReport,
};

/** Bench names; options (`--minutes 10`, `--minutes=10`) belong to the bench that reads them. */
const wanted = process.argv
  .slice(2)
  .filter((a, i, all) => !a.startsWith('--') && !(all[i - 1]?.startsWith('--') && !all[i - 1]?.includes('=')));
const rows: BenchRow[] = [];
for (const [name, run] of Object.entries({ ...BENCHES, ...ON_REQUEST })) {
  if (wanted.length > 0 ? !wanted.includes(name) : name in ON_REQUEST) continue;
  process.stderr.write(`running ${name}…\n`);
  rows.push(...(await run()));
}
printTable(rows);
