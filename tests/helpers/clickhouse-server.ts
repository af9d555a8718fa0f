/**
 * A private clickhouse-server for tests: its own directory (config, users, data, logs), 127.0.0.1
 * only, free ports, never the system service. `kill()` is SIGKILL; `start()` again reuses the same
 * directory and ports, as a restarted production server would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './ports.js';

export interface ClickHouseServer {
  /** `http://default:@127.0.0.1:<port>` (append `/<database>` for a transport URL). */
  url: string;
  dir: string;
  pid(): number | undefined;
  /** (Re)starts on the same directory and ports; resolves once `/ping` answers. */
  start(): Promise<void>;
  /** SIGKILL: no flush, no goodbye. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL if it lingers; removes the directory. */
  stop(): Promise<void>;
}

/** Debian's package installs to /usr/sbin (not on every PATH); CLICKHOUSE_SERVER_BIN overrides. */
function findBinary(): string {
  const candidates = [
    process.env['CLICKHOUSE_SERVER_BIN'],
    '/usr/sbin/clickhouse-server',
    '/usr/bin/clickhouse-server',
  ];
  for (const c of candidates) {
    if (!c) continue;
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // try the next one
    }
  }
  throw new Error('clickhouse-server is not installed: run `bash scripts/install-test-deps.sh` (as root)');
}

function writeConfig(dir: string, httpPort: number, tcpPort: number): string {
  for (const sub of ['data', 'tmp', 'user_files', 'format_schemas', 'log'])
    mkdirSync(join(dir, sub), { recursive: true });
  // keep_alive_timeout 3 s is the packaged default of old servers: the transport must cope with it.
  writeFileSync(
    join(dir, 'config.xml'),
    `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/log/server.log</log><errorlog>${dir}/log/error.log</errorlog></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <keep_alive_timeout>3</keep_alive_timeout>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
</yandex>
`,
  );
  writeFileSync(
    join(dir, 'users.xml'),
    `<?xml version="1.0"?>
<yandex>
  <profiles><default></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`,
  );
  return join(dir, 'config.xml');
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

export async function startClickHouse(): Promise<ClickHouseServer> {
  const binary = findBinary();
  const dir = mkdtempSync(join(tmpdir(), 'wmsj-ch-'));
  const httpPort = await freePort();
  const config = writeConfig(dir, httpPort, await freePort());
  let child: ChildProcess | undefined;
  const output: string[] = [];
  // A test run that dies must not leave a server behind.
  const reap = () => child?.kill('SIGKILL');
  process.once('exit', reap);

  const logTail = () => {
    let log = '';
    try {
      log = readFileSync(join(dir, 'log', 'error.log'), 'utf8');
    } catch {
      // no log yet
    }
    return `${output.join('')}${log}`.slice(-2_000);
  };

  const server: ClickHouseServer = {
    url: `http://default:@127.0.0.1:${httpPort}`,
    dir,
    pid: () => child?.pid,
    async start() {
      const proc = spawn(binary, [`--config-file=${config}`], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      proc.stdout.on('data', (b: Buffer) => output.push(b.toString()));
      proc.stderr.on('data', (b: Buffer) => output.push(b.toString()));
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        if (proc.exitCode !== null || proc.signalCode !== null) {
          throw new Error(`clickhouse-server exited (${proc.exitCode ?? proc.signalCode}):\n${logTail()}`);
        }
        try {
          const res = await fetch(`http://127.0.0.1:${httpPort}/ping`);
          if (res.ok) return;
        } catch {
          // not listening yet
        }
        await sleep(100);
      }
      throw new Error(`clickhouse-server did not answer /ping within 60 s:\n${logTail()}`);
    },
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
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
