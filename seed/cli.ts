/**
 * `npm run db:seed [-- --network shuangliu|baokang|DIR --scale 1 --seed 20231 --events N]`: seeds the
 * store the server would open (DATA_DIR/clickhouse, default ./data, or CLICKHOUSE_URL) with a county's network and a year of history, then prints
 * the rows written. `--events N` adds N synthetic events on top (for the 100-million-row query
 * benchmark). The only seed file that opens the store itself; the server seeds through
 * saveNetwork and backfill directly.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { openStore } from '../server/store/index.js';
import { backfill } from './backfill.js';
import { bulkEvents } from './bulk.js';
import { saveNetwork } from '../server/store/network-repository.js';
import { CountyError, type CountySource } from '../shared/county-load.js';
import { loadCounty } from './counties.js';
import { buildNetwork } from './network.js';

const { values } = parseArgs({
  options: {
    network: { type: 'string', default: 'shuangliu' },
    scale: { type: 'string', default: '1' },
    seed: { type: 'string', default: '20231' },
    events: { type: 'string', default: '0' },
  },
});
/** The county as NETWORK would name it; its files' problems are listed with the options'. */
let county: CountySource | null = null;
let countyProblems: string[] = [];
try {
  county = loadCounty(values.network);
} catch (error) {
  if (!(error instanceof CountyError)) throw error;
  countyProblems = error.problems.map((p) => `--network ${values.network}: ${p}`);
}
const scale = Number(values.scale);
const seed = Number(values.seed);
const extra = Number(values.events);
const problems = [
  Number.isFinite(scale) && scale > 0 && scale <= 100 ? null : '--scale must be a number in (0, 100]',
  Number.isInteger(seed) && seed >= 0 && seed < 2 ** 31 ? null : '--seed must be an integer in [0, 2^31)',
  Number.isInteger(extra) && extra >= 0 && extra <= 1e10 ? null : '--events must be a whole number up to 10^10',
  ...countyProblems,
].filter((p) => p !== null);
if (!county || problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(2);
}

const dir = process.env['DATA_DIR'] ?? './data';
// The same store the server opens (DATA_DIR/clickhouse, or CLICKHOUSE_URL), so `npm start` finds the seed.
const store = await openStore({ dataDir: dir, clickhouseUrl: process.env['CLICKHOUSE_URL'] ?? '' });
try {
  const [existing] = await store.query<{ n: number }>('SELECT count() AS n FROM events');
  if ((existing?.n ?? 0) > 0) {
    // A second backfill would double the history; re-seeding means starting from an empty directory.
    throw new Error(`${dir} already holds ${existing?.n} events; remove the directory to seed it again`);
  }
  const generated = buildNetwork(county, seed);
  await saveNetwork(store, generated);
  console.log(`${generated.county.name}: ${generated.nodes.length} nodes written to ${dir}`);

  const bar = new cliProgress.SingleBar(
    { format: 'backfill {bar} {value}/{total} {step}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1, 0, { step: '' });
  const report = await backfill(store, generated, {
    seed,
    scale,
    now: Date.now(),
    onProgress: (step, done, total) => {
      bar.setTotal(total);
      bar.update(done, { step });
    },
  });
  bar.stop();
  console.table(report.rows);
  console.log(`backfilled in ${(report.ms / 1000).toFixed(1)} s`);
  if (extra > 0) {
    const started = Date.now();
    bar.start(extra, 0, { step: 'bulk events' });
    await bulkEvents(store, generated, { count: extra, seed, now: Date.now(), onProgress: (done) => bar.update(done) });
    bar.stop();
    console.log(`${extra} bulk events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await store.close();
}
