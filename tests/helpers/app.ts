/**
 * The app built in this process, as server/server.ts builds it (buildApp on the validated config),
 * on a real embedded chdb: for integration tests where a process boundary is not the point. HTTP
 * goes through `app.inject` (`fetch` below); sockets connect for real to the app listening on a
 * free loopback port (`url`). The same face as helpers/server.ts, so a test moves by one import.
 *
 * chdb holds one data directory per process. Vitest's `forks` pool runs each test file in a process
 * of its own (vitest.config.ts), so a file may build one app at a time; it may close it and build
 * another on the same directory (a restart), or on a new one after the first is closed.
 *
 * In the suite's HTTP leg (`TEST_CLICKHOUSE=http`) the store is a ClickHouse server process instead,
 * each data directory a database of its own there (tests/helpers/test-store.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drainPending } from 'chdb';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';
import { loggerOptions } from '../../server/logger.js';
import { injectFetch } from './inject-fetch.js';
import { accounts, TEST_TOKEN, testEnv, writeUsersFile, type RunningServer, type TestUser } from './server.js';
import { clickhouseEnv, TEST_TRANSPORT } from './test-store.js';

export interface TestApp extends Omit<RunningServer, 'process' | 'kill' | 'stop'> {
  app: FastifyInstance;
  config: Config;
  /** `fetch` through `app.inject`; takes a path or a URL on `url`. */
  fetch: typeof fetch;
  /** Closes the app (a graceful stop: ingest flushed, sockets closed, store closed); keeps the data. 0 when clean, as the server's exit code. */
  stop(): Promise<number>;
  /** Stops, then removes the data and backup directories. */
  close(): Promise<void>;
}

export interface AppOptions {
  /** Configuration variables over the tests' defaults (helpers/server.ts `testEnv`), as strings. */
  env?: Record<string, string>;
  /** An existing data directory (a restart); default a new one. */
  dataDir?: string;
  /** Accounts besides `admin`, written to a USERS_FILE in the data directory. */
  users?: TestUser[];
  /** The port to listen on (a restart where open sockets dial the same address again); default a free one. */
  port?: number;
}

export async function startApp(options: AppOptions = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'wmsj-app-'));
  const usersFile = options.users ? { USERS_FILE: await writeUsersFile(dataDir, options.users) } : {};
  const config = loadConfig({
    ...testEnv(dataDir),
    ...clickhouseEnv(dataDir),
    PORT: String(options.port ?? 0),
    ...usersFile,
    ...options.env,
  });
  // The log as JSON lines in memory, as a test reads a server process's output.
  const logs: string[] = [];
  const stream = { write: (line: string) => void logs.push(line.trimEnd()) };
  const app = await buildApp(config, {
    logger: { ...loggerOptions({ ...config, LOG_FORMAT: 'json' }, false), stream },
  });
  try {
    // The HTTP leg must not pass on chdb by mistake (a test naming its own server means http).
    const expected = options.env?.['CLICKHOUSE_URL'] ? 'http' : TEST_TRANSPORT;
    if (app.store.kind !== expected) throw new Error(`the app's store is ${app.store.kind}, not ${expected}`);
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the app listens on no TCP port');
  const url = `http://127.0.0.1:${address.port}`;
  const fetch = injectFetch(app, url);

  let stopped: Promise<number> | null = null;
  const stop = () =>
    (stopped ??= app.close().then(
      // Wait until chdb has let go of the directory, so the next app may open it or another one.
      () => drainPending().then(() => 0),
      (error: unknown) => {
        logs.push(`app.close failed: ${String(error)}`);
        return 1;
      },
    ));
  return {
    app,
    config,
    url,
    port: address.port,
    fetch,
    dataDir,
    token: TEST_TOKEN,
    logs,
    ...accounts(url, fetch),
    stop,
    async close() {
      await stop();
      for (const dir of [dataDir, config.BACKUP_DIR]) rmSync(dir, { recursive: true, force: true });
    },
  };
}
