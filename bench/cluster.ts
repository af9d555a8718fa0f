/**
 * Several nodes (issue 18.6), on real processes: three server nodes, Redis, a ClickHouse server
 * process and nginx (tests/helpers/cluster.ts). The screens are bench/socket-walls.ts processes and
 * the event sender is this process, none of them a server's. Three figures, in this order:
 *
 * 1. Crossing Redis: event → screen p50/p99 of 100 walls on the node that ingests and 100 walls on
 *    another node, in the same run, at BENCH_RATE events/s posted to the first.
 * 2. ClickHouse evaluations per second (every node's `wmsj_live_evaluations_total`, summed) for
 *    500 screens watching the core frames and three panel queries, spread over 3 nodes; then the
 *    same 500 on one node, the other two stopped. The lease (server/live/lease.ts) should make them equal.
 * 3. Walls one node holds at push p99 ≤ 200 ms: on that node alone, walls added in steps
 *    (BENCH_STEPS) under the same event rate, each step's p99, its probes delivered, the node's CPU and the
 *    generators' CPU (so the figure is the server's; this machine has 2 cores). Stops at the first
 *    step beyond 2 s p99 or with screens refused, to stay bounded.
 *
 * `npm run bench -- cluster` (about five minutes).
 */
import { cpus, loadavg } from 'node:os';
import { startCluster } from '../tests/helpers/cluster.js';
import type { RunningServer } from '../tests/helpers/server.js';
import { machineCpu, round, scrape, treeCpu, type BenchRow } from './lib.js';
import { runLoad } from './live-load.js';
import {
  mergeWindows,
  received,
  startSocketWalls,
  windowPercentile,
  type Walls,
  type WallsWindow,
} from './socket-walls.js';
import { PANELS } from './subscriptions.js';

const RATE = Number(process.env['BENCH_RATE'] ?? 1_000);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 15);
const STEPS = (process.env['BENCH_STEPS'] ?? '500,1000,2000,4000').split(',').map(Number);
const CROSS_WALLS = 100;
const SCREENS = 500;
const GOAL_MS = 200;
/** Beyond this p99 a larger step can only be slower: stop there. */
const GIVE_UP_MS = 2_000;

interface Measured {
  walls: WallsWindow[];
  probesSent: number;
  seconds: number;
  /** CPU cores busy, on average over the window. */
  cores: { nodes: number[]; screens: number; sender: number; ours: number; machine: number };
  evaluations: number[];
}

/** One window: every group of walls counting, RATE events/s posted to `sender` for SECONDS, then 1 s for the last probes. */
async function measure(
  nodes: readonly RunningServer[],
  sender: RunningServer,
  walls: readonly Walls[],
): Promise<Measured> {
  const read = async () => Promise.all(nodes.map(scrape));
  const before = await read();
  const machine = machineCpu();
  const tree = treeCpu();
  const own = process.cpuUsage();
  const started = performance.now();
  await Promise.all(walls.map((w) => w.start()));
  const load = await runLoad(sender, RATE, SECONDS, new Map());
  await new Promise((r) => setTimeout(r, 1_000));
  const windows = await Promise.all(walls.map((w) => w.stop()));
  const seconds = (performance.now() - started) / 1000;
  const after = await read();
  const sent = process.cpuUsage(own);
  const machineAfter = machineCpu();
  const treeAfter = treeCpu();
  // /proc/stat's total counts every core: its jiffies per core are the window's length.
  const perCore = (machineAfter.total - machine.total) / cpus().length;
  const delta = (name: string) => after.map((a, i) => a(name) - (before[i]?.(name) ?? Number.NaN));
  return {
    walls: windows,
    probesSent: load.probesSent,
    seconds,
    cores: {
      nodes: delta('wmsj_process_cpu_seconds_total').map((s) => s / seconds),
      screens: windows.reduce((s, w) => s + w.cpuMs, 0) / 1000 / seconds,
      sender: (sent.user + sent.system) / 1e6 / seconds,
      ours: (treeAfter - tree) / perCore,
      machine: (machineAfter.busy - machine.busy) / perCore,
    },
    evaluations: delta('wmsj_live_evaluations_total'),
  };
}

const cores = (n: number) => round(n, 2);
/** What ran beside the figure: the machine's busy cores, and how many of them were not this bench's. */
const beside = (m: Measured) =>
  `machine ${cores(m.cores.machine)} of ${cpus().length} cores busy, ${cores(Math.max(0, m.cores.machine - m.cores.ours))} of them not this bench's`;

export async function benchCluster(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const log = (line: string) => process.stderr.write(`cluster: ${line}\n`);
  log(
    `load average at the start ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, ${cpus().length} cores`,
  );
  const cluster = await startCluster(3, {
    // Public display walls (no token): a wall token is one node's until tokens live in Redis, as in
    // tests/integration/cluster.test.ts. The limits per address and credential are for the county's LAN, not a bench.
    env: { LOG_LEVEL: 'warn', PUBLIC_DISPLAY: '1', SOCKETS_PER_ADDRESS: '100000', SOCKETS_PER_CREDENTIAL: '100000' },
  });
  const groups: Walls[] = [];
  const closeAll = async () => {
    await Promise.all(groups.splice(0).map((g) => g.close()));
  };
  try {
    const [a, b, c] = cluster.nodes;
    if (!a || !b || !c) throw new Error('the cluster did not start three nodes');
    const token = '';

    // 1. The cost of crossing Redis.
    const here = await startSocketWalls(a.url, token, CROSS_WALLS);
    const there = await startSocketWalls(b.url, token, CROSS_WALLS);
    groups.push(here, there);
    const cross = await measure([a, b], a, [here, there]);
    await closeAll();
    const [onA, onB] = cross.walls;
    if (!onA || !onB) throw new Error('no windows');
    const expected = cross.probesSent * CROSS_WALLS;
    log(
      `crossing: deliveries ${received(onA)}/${expected} here, ${received(onB)}/${expected} there; cores ${JSON.stringify(cross.cores)}`,
    );
    for (const p of [50, 99])
      rows.push({
        bench: 'cluster',
        metric: `event → screen p${p}, ${CROSS_WALLS} walls on another node than the one ingesting (through Redis), ${RATE} events/s; ${beside(cross)}`,
        value: round(windowPercentile(onB, p)),
        unit: 'ms',
        baseline: round(windowPercentile(onA, p)),
        goal: `baseline: ${CROSS_WALLS} walls on the ingesting node`,
      });

    // 2. ClickHouse evaluations, 3 nodes then 1 node, the same 500 screens.
    const spread = [a, b, c].map((node, i) =>
      startSocketWalls(node.url, token, Math.floor(SCREENS / 3) + (i < SCREENS % 3 ? 1 : 0), { panels: PANELS }),
    );
    groups.push(...(await Promise.all(spread)));
    const three = await measure([a, b, c], a, groups);
    await closeAll();
    await Promise.all([b.stop(), c.stop()]);
    groups.push(await startSocketWalls(a.url, token, SCREENS, { panels: PANELS }));
    const one = await measure([a], a, groups);
    await closeAll();
    const perSecond = (m: Measured) => m.evaluations.reduce((s, n) => s + n, 0) / m.seconds;
    log(`evaluations per node, 3 nodes: ${three.evaluations.join(' / ')} in ${three.seconds.toFixed(1)} s`);
    rows.push({
      bench: 'cluster',
      metric: `ClickHouse evaluations/s, ${SCREENS} screens (core frames + ${PANELS.length} panel queries) over 3 nodes, ${RATE} events/s; ${beside(three)} (1 node: ${beside(one)})`,
      value: round(perSecond(three), 2),
      unit: 'q/s',
      baseline: round(perSecond(one), 2),
      goal: `baseline: the same ${SCREENS} on 1 node; flat`,
    });

    // 3. Walls one node holds (the other two stopped above).
    let held = 0;
    let connected = 0;
    for (const step of STEPS) {
      const added = await startSocketWalls(a.url, token, step - connected);
      groups.push(added);
      connected = groups.reduce((s, g) => s + g.ready, 0);
      if (connected < step) {
        log(`step ${step}: only ${connected} screens connected; stopping`);
        break;
      }
      const m = await measure([a], a, groups);
      const window = mergeWindows(m.walls);
      const p99 = windowPercentile(window, 99);
      const delivered = received(window) / (m.probesSent * step);
      log(
        `step ${step}: p50 ${windowPercentile(window, 50)} p99 ${p99} ms, delivered ${(delivered * 100).toFixed(2)}%, cores ${JSON.stringify(m.cores)}`,
      );
      rows.push({
        bench: 'cluster',
        metric:
          `push p99, ${step} walls on one node, ${RATE} events/s: node ${cores(m.cores.nodes[0] ?? Number.NaN)} cores; ` +
          `generators (screens ${cores(m.cores.screens)} + sender ${cores(m.cores.sender)}) cores; ` +
          `${beside(m)}; ` +
          `${round(delivered * 100, 2)}% of probe deliveries`,
        value: round(p99),
        unit: 'ms',
        baseline: round(windowPercentile(window, 50)),
        goal: `≤ ${GOAL_MS} ms (baseline: p50)`,
      });
      if (p99 <= GOAL_MS && delivered >= 0.99) held = step;
      if (p99 > GIVE_UP_MS || window.connected < step) break;
    }
    rows.push({
      bench: 'cluster',
      metric: `walls one node holds at push p99 ≤ ${GOAL_MS} ms (≥ 99% of probes delivered), ${RATE} events/s, 2 cores shared with the generators`,
      value: held,
      unit: 'walls',
      goal: "AnyCable's published benchmark: 10,000 subscribers at p99 176 ms",
    });
    return rows;
  } finally {
    await closeAll();
    await cluster.close();
    log(
      `load average at the end ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  }
}
