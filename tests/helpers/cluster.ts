/**
 * Several nodes as a county deploys them (deploy/README.md, "Several nodes"), every part a real
 * process: one Redis (tests/helpers/redis.ts), one ClickHouse server (chdb over HTTP,
 * tests/helpers/chdb-http.ts), N server processes (tests/helpers/server.ts), each with its own data
 * directory and write-ahead log, its NODE_ID, and the same SESSION_SECRET, REDIS_URL and
 * CLICKHOUSE_URL; and nginx on a free loopback port, its configuration generated from
 * deploy/nginx-cluster.conf, the file an operator installs (one source for both).
 *
 * The nodes start together on the empty store, as a fresh deployment's do. `close()` ends every
 * process, and a test process that dies leaves none behind (SIGKILL on exit).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChdbHttp, type ChdbHttp } from './chdb-http.js';
import { freePort } from './ports.js';
import { startRedis, type TestRedis } from './redis.js';
import { eventually, startServer, type RunningServer, type StartOptions } from './server.js';

const NGINX = '/usr/sbin/nginx';
const TEMPLATE = fileURLToPath(new URL('../../deploy/nginx-cluster.conf', import.meta.url));
/** The database every node shares on the ClickHouse server. */
export const CLUSTER_DATABASE = 'wmsj_county';

export interface Cluster {
  /** nginx's origin: what walls, dispatchers and devices reach. */
  url: string;
  nodes: RunningServer[];
  redis: TestRedis;
  clickhouse: ChdbHttp;
  /** nginx's error log so far (upstream failures), for failure messages. */
  nginxLog(): string;
  /** SIGKILL of node `i`: no flush, its write-ahead log left as it was. */
  kill(i: number): Promise<void>;
  /** Node `i` again on its data directory and port (its log is replayed at start), `env` over its own. */
  restart(i: number, env?: Record<string, string>): Promise<RunningServer>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  /** Env of every node over the cluster's own (REDIS_URL, CLICKHOUSE_URL, …). */
  env?: Record<string, string>;
  /** Env of one node over the rest (index → env), e.g. a long flush on the node a test kills. */
  nodeEnv?: Record<number, Record<string, string>>;
  users?: StartOptions['users'];
}

/**
 * deploy/nginx-cluster.conf with this cluster's ports: its `listen 80;` on loopback, and in each
 * upstream its example `server` lines replaced by one line per node, with the same parameters.
 */
export function nginxConfig(template: string, listenPort: number, nodePorts: readonly number[]): string {
  if (!template.includes('listen 80;')) throw new Error('deploy/nginx-cluster.conf has no `listen 80;`');
  const upstreams = template.replace(/upstream (\w+) \{[^}]*\}/g, (block) => {
    const lines = block.split('\n');
    const servers = lines.filter((l) => /^\s*server \S+:\d+/.test(l));
    const first = servers[0];
    if (!first) throw new Error(`an upstream without servers in deploy/nginx-cluster.conf:\n${block}`);
    const ours = nodePorts.map((port) => first.replace(/server \S+:\d+/, `server 127.0.0.1:${port}`));
    const at = lines.indexOf(first);
    const rest = lines.filter((l) => !servers.includes(l));
    rest.splice(at, 0, ...ours);
    return rest.join('\n');
  });
  return upstreams.replace('listen 80;', `listen 127.0.0.1:${listenPort};`);
}

/** The few lines nginx needs around an http-context file, all paths in `dir`. */
function nginxMain(dir: string, http: string): string {
  return [
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    // Each proxied socket holds two connections (client and node); the default 512 would cap a bench.
    'events { worker_connections 8192; }',
    'http {',
    `access_log off;`,
    `client_body_temp_path ${dir}/body;`,
    `proxy_temp_path ${dir}/proxy;`,
    http,
    '}',
  ].join('\n');
}

/** SIGTERM, and SIGKILL if the node has not stopped within its own deadline's margin. */
async function stopWithin(node: RunningServer): Promise<void> {
  const timer = setTimeout(() => node.process.kill('SIGKILL'), 20_000);
  await node.stop();
  clearTimeout(timer);
}

export async function startCluster(count: number, options: ClusterOptions = {}): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'wmsj-cluster-'));
  const nodes: RunningServer[] = [];
  let nginx: ChildProcess | undefined;
  let redis: TestRedis | undefined;
  let clickhouse: ChdbHttp | undefined;
  const reap = () => {
    nginx?.kill('SIGKILL');
    for (const n of nodes) n.process.kill('SIGKILL');
  };
  process.once('exit', reap);

  const close = async () => {
    process.removeListener('exit', reap);
    nginx?.kill('SIGTERM');
    await Promise.allSettled(nodes.map(stopWithin));
    await Promise.allSettled([redis?.stop(), clickhouse?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    [redis, clickhouse] = await Promise.all([startRedis(), startChdbHttp()]);
    const env = {
      REDIS_URL: redis.url,
      CLICKHOUSE_URL: `${clickhouse.url}/${CLUSTER_DATABASE}`,
      // Every node reads every other's session cookies.
      SESSION_SECRET: randomBytes(32).toString('hex'),
      // nginx is the proxy: nodes see the client's address (limits, lockouts, the audit).
      TRUST_PROXY: '127.0.0.1',
      ...options.env,
    };
    const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
    const nodeOptions = (i: number): StartOptions => ({
      port: ports[i] ?? 0,
      dataDir: join(dir, `node-${i + 1}`),
      ...(options.users ? { users: options.users } : {}),
      env: { ...env, NODE_ID: `node-${i + 1}`, ...options.nodeEnv?.[i] },
    });
    for (let i = 0; i < count; i += 1) mkdirSync(join(dir, `node-${i + 1}`));
    // Together, as a fresh deployment starts: the store must be seeded once, not N times.
    const started = await Promise.allSettled(ports.map((_, i) => startServer(nodeOptions(i))));
    for (const s of started) if (s.status === 'fulfilled') nodes.push(s.value);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;

    const listen = await freePort();
    const nginxDir = join(dir, 'nginx');
    mkdirSync(nginxDir);
    const http = nginxConfig(readFileSync(TEMPLATE, 'utf8'), listen, ports);
    writeFileSync(join(nginxDir, 'nginx.conf'), nginxMain(nginxDir, http));
    const proxy = spawn(NGINX, ['-p', nginxDir, '-c', join(nginxDir, 'nginx.conf'), '-g', 'daemon off;'], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    nginx = proxy;
    const url = `http://127.0.0.1:${listen}`;
    await eventually(() => {
      if (proxy.exitCode !== null) throw new Error(`nginx exited with ${proxy.exitCode}`);
      return fetch(`${url}/api/health`).then(
        (r) => (r.ok ? true : undefined),
        () => undefined,
      );
    });

    return {
      url,
      nodes,
      redis,
      clickhouse,
      nginxLog: () => readFileSync(join(nginxDir, 'error.log'), 'utf8'),
      kill: async (i) => nodes[i]?.kill(),
      restart: async (i, more = {}) => {
        const options = nodeOptions(i);
        const node = await startServer({ ...options, env: { ...options.env, ...more } });
        nodes[i] = node;
        return node;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
