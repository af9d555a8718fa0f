/**
 * Screens in processes of their own (bench/socket-walls-child.ts), cheap enough that a few
 * thousand of them leave the machine to the server: `start()` opens a measuring window in every
 * process, `stop()` closes it and answers the probes' event-to-screen latencies (a histogram), the
 * processes' CPU time and the screens still connected.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { QuerySubscribe } from '../shared/queries/index.js';

const CHILD = fileURLToPath(new URL('./socket-walls-child.ts', import.meta.url));
/** Histogram buckets: tenths of a millisecond up to 60 s. */
export const BUCKETS = 600_000;

export interface WallsWindow {
  /** [bucket (0.1 ms), probes received] for every bucket that holds any. */
  counts: [number, number][];
  /** CPU time of the screens' processes in the window. */
  cpuMs: number;
  connected: number;
  ticks: number;
}

export interface Walls {
  /** Screens that got their snapshot (and their panels' acks). */
  ready: number;
  start(): Promise<void>;
  stop(): Promise<WallsWindow>;
  close(): Promise<void>;
}

/** `count` screens on `url` with `token`, over `processes` processes, each subscribing to `panels`. */
export async function startSocketWalls(
  url: string,
  token: string,
  count: number,
  {
    processes = Math.max(1, Math.ceil(count / 1000)),
    panels = [],
  }: { processes?: number; panels?: QuerySubscribe[] } = {},
): Promise<Walls> {
  const children: ChildProcess[] = [];
  const reap = () => {
    for (const c of children) c.kill('SIGKILL');
  };
  process.once('exit', reap);
  const waiting = new Map<number, (m: { window?: WallsWindow }) => void>();
  let next = 0;
  let failed = 0;
  const ready = Array.from({ length: processes }, (_, i) => {
    const share = Math.floor(count / processes) + (i < count % processes ? 1 : 0);
    const child = fork(CHILD, [], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        WALLS_URL: url,
        WALLS_TOKEN: token,
        WALLS_COUNT: String(share),
        WALLS_PANELS: JSON.stringify(panels),
      },
    });
    children.push(child);
    return new Promise<void>((resolve, reject) => {
      child.on('message', (m: { ready?: boolean; failed?: number; id?: number; window?: WallsWindow }) => {
        if (m.ready) {
          failed += m.failed ?? 0;
          resolve();
        }
        if (m.id !== undefined) waiting.get(m.id)?.(m);
      });
      child.once('exit', (code) => reject(new Error(`a screens' process exited with ${code}`)));
    });
  });
  await Promise.all(ready);
  const ask = (op: 'start' | 'stop') =>
    Promise.all(
      children.map(
        (child) =>
          new Promise<{ window?: WallsWindow }>((resolve) => {
            next += 1;
            const id = next;
            waiting.set(id, (m) => {
              waiting.delete(id);
              resolve(m);
            });
            child.send({ id, op });
          }),
      ),
    );
  return {
    ready: count - failed,
    start: async () => {
      await ask('start');
    },
    stop: async () => mergeWindows((await ask('stop')).flatMap((m) => (m.window ? [m.window] : []))),
    close: async () => {
      process.removeListener('exit', reap);
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              child.removeAllListeners('exit');
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}

export function mergeWindows(windows: readonly WallsWindow[]): WallsWindow {
  const counts = new Map<number, number>();
  for (const w of windows) for (const [bucket, n] of w.counts) counts.set(bucket, (counts.get(bucket) ?? 0) + n);
  return {
    counts: [...counts].sort((a, b) => a[0] - b[0]),
    cpuMs: windows.reduce((s, w) => s + w.cpuMs, 0),
    connected: windows.reduce((s, w) => s + w.connected, 0),
    ticks: windows.reduce((s, w) => s + w.ticks, 0),
  };
}

/** The `p`th percentile of a window's latencies, in ms (NaN without any). */
export function windowPercentile(window: WallsWindow, p: number): number {
  const total = window.counts.reduce((s, [, n]) => s + n, 0);
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [bucket, n] of window.counts) {
    seen += n;
    if (seen >= rank) return bucket / 10;
  }
  return Number.NaN;
}

export const received = (window: WallsWindow) => window.counts.reduce((s, [, n]) => s + n, 0);
