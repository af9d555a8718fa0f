/** `npm run bench [name…]`: runs the benchmarks (all by default) and prints one table. */
import { benchFrontend } from './frontend.js';
import { benchIngest } from './ingest.js';
import { benchLatency } from './latency.js';
import { benchQueries } from './queries.js';
import { benchSoak } from './soak.js';
import { benchSubscriptions } from './subscriptions.js';
import { benchWallHeap } from './wall-heap.js';
import { printTable, type BenchRow } from './lib.js';

const BENCHES: Record<string, () => Promise<BenchRow[]>> = {
  ingest: benchIngest,
  latency: benchLatency,
  subscriptions: benchSubscriptions,
  queries: benchQueries,
  frontend: benchFrontend,
};
/** Long runs, only when named: `npm run bench -- soak`. */
const ON_REQUEST: Record<string, () => Promise<BenchRow[]>> = { soak: benchSoak, 'wall-heap': benchWallHeap };

const wanted = process.argv.slice(2);
const rows: BenchRow[] = [];
for (const [name, run] of Object.entries({ ...BENCHES, ...ON_REQUEST })) {
  if (wanted.length > 0 ? !wanted.includes(name) : name in ON_REQUEST) continue;
  process.stderr.write(`running ${name}…\n`);
  rows.push(...(await run()));
}
printTable(rows);
