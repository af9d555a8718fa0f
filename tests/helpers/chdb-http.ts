/**
 * A ClickHouse HTTP endpoint in a separate process, served from chdb (chdb-http-server.ts). It exists
 * because it is the only ClickHouse >= 19 we can run as a separate process here: Debian's
 * clickhouse-server 18.16 cannot run our schema (no DateTime64, no deduplication tokens), and chdb
 * itself runs inside the app's process, where a test cannot cut it off. Fault tests put
 * tests/helpers/fault-proxy.ts between the app and this process.
 *
 * `kill()` is SIGKILL; `start()` again reuses the same data directory and port, as a restarted
 * server would. Reading the data while the app runs is fine: it is a server, ask it over HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpTransport } from '../../server/store/http.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ChdbHttp {
  /** `http://default:@127.0.0.1:<port>` (append `/<database>` for a transport URL). */
  url: string;
  port: number;
  dataDir: string;
  /** (Re)starts on the same directory and port; resolves once it listens. */
  start(): Promise<void>;
  /** SIGKILL. */
  kill(): Promise<void>;
  /** SIGTERM; removes the directory unless it was given. */
  stop(): Promise<void>;
  /** A transport straight to this server (no proxy), for a test's own reads. */
  connect(database: string): Promise<HttpTransport>;
  /** Output so far, for failure messages. */
  output: string[];
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

export interface ChdbHttpOptions {
  /** Reused across starts, and kept by `stop()`; default a new temporary one, removed by `stop()`. */
  dataDir?: string;
  /** Environment of the server process over this one's, e.g. its `TZ` (the server's time zone). */
  env?: Record<string, string>;
}

export async function startChdbHttp(options: ChdbHttpOptions = {}): Promise<ChdbHttp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'wmsj-chdb-http-'));
  let child: ChildProcess | undefined;
  let port = 0;
  const output: string[] = [];
  // A test run that dies must not leave a server behind.
  const reap = () => child?.kill('SIGKILL');
  process.once('exit', reap);

  const start = async () => {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', 'tests/helpers/chdb-http-server.ts', dataDir, String(port)],
      {
        cwd: ROOT,
        env: { ...process.env, ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = proc;
    proc.stderr.on('data', (b: Buffer) => output.push(b.toString()));
    port = await new Promise<number>((resolve, reject) => {
      let text = '';
      proc.stdout.on('data', (b: Buffer) => {
        text += b.toString();
        output.push(b.toString());
        const m = /\{"listening":(\d+)\}/.exec(text);
        if (m) resolve(Number(m[1]));
      });
      proc.once('exit', (code) =>
        reject(new Error(`chdb-http exited (${code}) before listening:\n${output.join('').slice(-2_000)}`)),
      );
    });
  };
  await start();

  const server: ChdbHttp = {
    get url() {
      return `http://default:@127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    dataDir,
    output,
    start,
    async kill() {
      if (!child) return;
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      process.removeListener('exit', reap);
      const proc = child;
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await exited(proc);
        clearTimeout(timer);
      }
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    connect: (database) => HttpTransport.connect(`http://default:@127.0.0.1:${port}/${database}`),
  };
  return server;
}
