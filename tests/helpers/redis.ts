/**
 * A real Redis for a test (Debian's redis-server, installed by scripts/install-test-deps.sh): its
 * own process on a free loopback port, its own directory, append-only so a restart keeps what was
 * written — as the deployment runs it (deploy/). `kill()` is a crash (SIGKILL); `restart()` brings
 * it back on the same port and directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './ports.js';

export interface TestRedis {
  url: string;
  port: number;
  /** A fresh client on it (the caller quits it). */
  client(): Redis;
  /** Every key and every value under it, as text: what someone who reads this Redis sees (a secret must not be there). */
  contents(): Promise<string>;
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const READY_TRIES = 100;

export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'wmsj-redis-'));
  const port = await freePort();
  let child: ChildProcess | null = null;
  const url = `redis://127.0.0.1:${port}`;

  const launch = async (): Promise<void> => {
    // appendfsync always: a test that kills Redis right after a write must find it after the restart.
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''];
    args.push('--appendonly', 'yes', '--appendfsync', 'always', '--protected-mode', 'yes', '--loglevel', 'warning');
    child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'inherit'] });
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    // Refused connections are expected until the server listens; the loop below reads them.
    probe.on('error', () => undefined);
    try {
      for (let i = 0; i < READY_TRIES; i += 1) {
        if (
          await probe.connect().then(
            () => probe.ping().then(() => true),
            () => false,
          )
        )
          return;
        probe.disconnect();
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`redis-server on ${port} did not answer`);
    } finally {
      probe.disconnect();
    }
  };

  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill(signal);
    });
  };

  await launch();
  return {
    url,
    port,
    client: () => new Redis(url),
    contents: () => contentsOf(new Redis(url)),
    kill: () => end('SIGKILL'),
    restart: async () => {
      await end('SIGKILL');
      await launch();
    },
    stop: async () => {
      await end('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function contentsOf(client: Redis): Promise<string> {
  try {
    const parts: string[] = [];
    for (const key of await client.keys('*')) {
      parts.push(key);
      const type = await client.type(key);
      if (type === 'string') parts.push((await client.get(key)) ?? '');
      else if (type === 'hash') parts.push(JSON.stringify(await client.hgetall(key)));
      else if (type === 'set') parts.push(...(await client.smembers(key)));
      else if (type === 'zset') parts.push(...(await client.zrange(key, 0, -1)));
      else if (type === 'list') parts.push(...(await client.lrange(key, 0, -1)));
      else if (type === 'stream') parts.push(JSON.stringify(await client.xrange(key, '-', '+')));
    }
    return parts.join('\n');
  } finally {
    await client.quit();
  }
}
