/** Shared bits of the benchmarks: percentiles, event makers, and a printed result table. */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PracticeEvent } from '../shared/events.js';

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

export const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** A mix like a busy evening: media reads and check-ins on the given nodes (`checkinShare` of them check-ins). */
export function makeEvents(
  count: number,
  nodeIds: readonly string[],
  ts = Date.now(),
  checkinShare = 0.5,
): PracticeEvent[] {
  const events: PracticeEvent[] = [];
  const every = checkinShare > 0 ? Math.round(1 / checkinShare) : Number.POSITIVE_INFINITY;
  for (let i = 0; i < count; i += 1) {
    const nodeId = nodeIds[i % nodeIds.length] ?? 'C0';
    events.push(
      (i + 1) % every !== 0
        ? {
            id: randomUUID(),
            type: 'media.read',
            nodeId,
            ts,
            articleId: `M${i % 5000}`,
            reads: 1 + (i % 40),
            shares: i % 3,
          }
        : {
            id: randomUUID(),
            type: 'checkin',
            nodeId,
            ts,
            volunteerId: `V${String(i % 136_000).padStart(6, '0')}`,
            activityId: `A${i % 7200}`,
            volunteerName: '张小伟',
          },
    );
  }
  return events;
}

export interface BenchRow {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  baseline?: number;
  goal?: string;
}

export function printTable(rows: readonly BenchRow[]): void {
  const lines = [
    '| bench | metric | value | baseline (same run) | ratio | goal |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const ratio = r.baseline ? `${round(r.value / r.baseline, 2)}×` : '';
    lines.push(
      `| ${r.bench} | ${r.metric} | ${r.value} ${r.unit} | ${r.baseline ?? ''} | ${ratio} | ${r.goal ?? ''} |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** A server's `/metrics` read once (with its device token): `read(name)` is an unlabelled sample's value, NaN if absent. */
export async function scrape(server: { url: string; token: string }): Promise<(name: string) => number> {
  const series = await scrapeSeries(server);
  return (name) => series.get(name) ?? Number.NaN;
}

/** Every series of the server's /metrics, by its name with labels as printed (`name{a="b"}`). */
export async function scrapeSeries(server: { url: string; token: string }): Promise<Map<string, number>> {
  const text = await (
    await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${server.token}` } })
  ).text();
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([^#\s]\S*) (\S+)$/.exec(line);
    if (match?.[1] && match[2]) series.set(match[1], Number(match[2]));
  }
  return series;
}

/**
 * Garbage-collector pauses of `min` seconds or longer so far, from prom-client's histogram: the
 * count of all pauses less those at or under the bucket `min`, summed over the collector's kinds.
 */
export function gcPausesOver(series: Map<string, number>, min: number): number {
  let over = 0;
  for (const [name, value] of series) {
    if (!name.startsWith('wmsj_nodejs_gc_duration_seconds_bucket{')) continue;
    if (name.includes('le="+Inf"')) over += value;
    else if (name.includes(`le="${min}"`)) over -= value;
  }
  return over;
}

/** The whole machine's CPU so far, from /proc/stat: busy and total jiffies over every core. */
export function machineCpu(): { busy: number; total: number } {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/**
 * CPU time (jiffies, /proc/stat's unit) of process `root` and every process below it, living now:
 * what a bench started (servers, Redis, ClickHouse, nginx, its generators), to tell from what else ran.
 */
export function treeCpu(root = process.pid): number {
  const stats = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((pid) => {
      try {
        const line = readFileSync(`/proc/${pid}/stat`, 'utf8');
        // The command name is in parentheses and may hold spaces: the fields start after its last ')'.
        const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
        return [{ pid: Number(pid), ppid: Number(fields[1]), jiffies: Number(fields[11]) + Number(fields[12]) }];
      } catch {
        return []; // gone meanwhile
      }
    });
  const children = new Map<number, number[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid]);
  const jiffies = new Map(stats.map((s) => [s.pid, s.jiffies]));
  let total = 0;
  for (const queue = [root]; queue.length > 0;) {
    const pid = queue.pop() ?? root;
    total += jiffies.get(pid) ?? 0;
    queue.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** A year of the default seed in a new directory (`wmsj-bench-<name>-…`), for the benches that read one. */
export function seedYear(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `wmsj-bench-${name}-`));
  const seeded = spawnSync('npx', ['tsx', 'seed/cli.ts'], {
    cwd: fileURLToPath(new URL('../', import.meta.url)),
    env: { ...process.env, DATA_DIR: dir },
    stdio: 'inherit',
  });
  if (seeded.status !== 0) throw new Error(`seeding ${dir} failed`);
  return dir;
}

/**
 * A bench server's limits for many screens on one credential and one address: SOCKETS_PER_CREDENTIAL
 * (20) and SOCKETS_PER_ADDRESS (200) are for a county's LAN, and past them a bench's screens are refused.
 */
export const MANY_SCREENS = { SOCKETS_PER_ADDRESS: '100000', SOCKETS_PER_CREDENTIAL: '100000' };

/**
 * `BENCH_PROFILE=<dir>`: the server under the bench's load writes a V8 CPU profile (`node --cpu-prof`)
 * into `dir` when it stops; open it in Chrome's DevTools or read it with `scripts/profile-top.ts`.
 */
export function profileArgs(): { nodeArgs?: string[] } {
  const dir = process.env['BENCH_PROFILE'];
  return dir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] } : {};
}

/** CPU time (jiffies) of one process alone, 0 once it is gone. */
export function processCpu(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

export interface CpuWindow {
  seconds: number;
  /** Cores each named part kept busy, on average over the window. */
  cores: Record<string, number>;
  /** The machine's busy cores, and how many of them were not this bench's process tree. */
  machine: number;
  others: number;
  /** The 1-minute load average at the start and at the end. */
  load: [number, number];
}

/**
 * Opens a window over the CPU of named parts (each a reader of jiffies: `treeCpu(pid)`,
 * `processCpu(pid)`) and of the machine; the answer closes it. So a figure says what the server
 * used and what else ran beside it.
 */
export function cpuWindow(parts: Record<string, () => number>): () => CpuWindow {
  const started = performance.now();
  const machine = machineCpu();
  const tree = treeCpu();
  const from = Object.fromEntries(Object.entries(parts).map(([name, read]) => [name, read()]));
  const load = loadavg()[0] ?? Number.NaN;
  return () => {
    const after = machineCpu();
    // /proc/stat's total counts every core: its jiffies per core are the window's length.
    const perCore = (after.total - machine.total) / cpus().length;
    const busy = (after.busy - machine.busy) / perCore;
    const ours = (treeCpu() - tree) / perCore;
    return {
      seconds: (performance.now() - started) / 1000,
      cores: Object.fromEntries(
        Object.entries(parts).map(([name, read]) => [name, round((read() - (from[name] ?? 0)) / perCore, 2)]),
      ),
      machine: round(busy, 2),
      others: round(Math.max(0, busy - ours), 2),
      load: [round(load, 2), round(loadavg()[0] ?? Number.NaN, 2)],
    };
  };
}

/** What ran beside a figure, in words for its row: the server's cores, the generators', the machine's, the load. */
export function describeCpu(w: CpuWindow): string {
  const parts = Object.entries(w.cores)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
  return `cores: ${parts}; machine ${w.machine} of ${cpus().length} busy, ${w.others} not this bench's; load average ${w.load[0]} → ${w.load[1]}`;
}

/** `--minutes 10` or `--minutes=10`. */
export function minutesOption(argv: readonly string[], fallback: number): number {
  const i = argv.findIndex((a) => a === '--minutes' || a.startsWith('--minutes='));
  const raw = i === -1 ? undefined : (argv[i]?.split('=')[1] ?? argv[i + 1]);
  const n = Number(raw ?? fallback);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--minutes needs a positive number, got ${raw}`);
  return n;
}
