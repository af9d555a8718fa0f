/**
 * Walls in their own processes: a soak's 500 screens must not share an event loop with the load
 * generator (in one process they starved it to 2,205 events/s). Each child connects its share of
 * walls and reports, once a second, the latency of every probe its walls received (probe ids carry
 * their posting time, see live-load.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RunningServer } from '../tests/helpers/server.js';

const CHILD = fileURLToPath(new URL('./wall-fleet-child.ts', import.meta.url));

export interface FleetReport {
  /** [receipt time (epoch ms), latency ms] per probe per wall. */
  samples: [number, number][];
}

export interface Fleet {
  close(): Promise<void>;
}

export async function startWallFleet(
  server: RunningServer,
  walls: number,
  processes: number,
  onSamples: (samples: [number, number][]) => void,
): Promise<Fleet> {
  const token = await server.wallToken();
  const children: ChildProcess[] = [];
  const ready: Promise<void>[] = [];
  for (let i = 0; i < processes; i += 1) {
    const count = Math.floor(walls / processes) + (i < walls % processes ? 1 : 0);
    const child = fork(CHILD, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, FLEET_URL: server.url, FLEET_TOKEN: token, FLEET_WALLS: String(count) },
    });
    children.push(child);
    ready.push(
      new Promise((resolve, reject) => {
        child.on('message', (message: { ready?: boolean } & Partial<FleetReport>) => {
          if (message.ready) resolve();
          if (message.samples) onSamples(message.samples);
        });
        child.once('exit', (code) => reject(new Error(`wall fleet child exited with ${code}`)));
      }),
    );
  }
  await Promise.all(ready);
  return {
    async close() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              child.removeAllListeners('exit');
              child.once('exit', () => resolve());
              child.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
