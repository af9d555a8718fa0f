/**
 * Wall screens in a process of their own (tests/helpers/cluster-walls-child.ts), so that 50 sockets
 * and their frames do not share the test's event loop with its load and its checks. `state(at)` asks
 * for every wall's view (tests/helpers/live-wall.ts `view`), connection and counters.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WallView } from './live-wall.js';

const CHILD = fileURLToPath(new URL('./cluster-walls-child.ts', import.meta.url));

export interface WallState {
  view: WallView;
  /** Connected and holding a snapshot. */
  connected: boolean;
  counts: { snapshots: number; ticks: number; resyncs: number; disconnects: number; connects: number };
}

export interface WallFleet {
  state(at: number): Promise<WallState[]>;
  close(): Promise<void>;
}

/** `count` walls on `url` (an origin: nginx's), with `token` or none (a public display). */
export async function startWalls(url: string, count: number, token = ''): Promise<WallFleet> {
  const child = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, WALLS_URL: url, WALLS_TOKEN: token, WALLS_COUNT: String(count) },
  });
  // A test process that dies must not leave the fleet behind.
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  const waiting = new Map<number, (walls: WallState[]) => void>();
  let next = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.on('message', (m: { started?: boolean; id?: number; walls?: WallState[] }) => {
      if (m.started) resolve();
      if (m.id !== undefined && m.walls) waiting.get(m.id)?.(m.walls);
      if (m.id !== undefined) waiting.delete(m.id);
    });
    child.once('exit', (code) => reject(new Error(`wall fleet exited with ${code}`)));
  });
  return {
    state: (at) =>
      new Promise((resolve) => {
        next += 1;
        waiting.set(next, resolve);
        child.send({ id: next, at });
      }),
    close: async () => {
      process.removeListener('exit', reap);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
