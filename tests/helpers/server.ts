/**
 * Starts the real server as a child process (its own chdb data directory, as in production) on a
 * free port, and resolves once it listens. Integration and e2e tests drive it over the wire, with
 * credentials as real clients hold them: the device token, an admin session, wall tokens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Role, TokenCreateBody, TokenCreated } from '../../shared/auth.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { freePort } from './ports.js';
import { clickhouseEnv, TEST_TRANSPORT } from './test-store.js';
import { fetchTrusting, type TestCertificate } from './tls.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** A device token (INGEST_TOKENS): ingest and /metrics. */
export const TEST_TOKEN = 'test-ingest-token';
/** The seeded `admin` account's password (ADMIN_PASSWORD). */
export const TEST_ADMIN_PASSWORD = 'test-admin-password';

export interface RunningServer {
  /** `http://127.0.0.1:port`, or https with `tls`. */
  url: string;
  port: number;
  /** `fetch`, trusting the server's test certificate when it speaks https. */
  fetch: typeof fetch;
  dataDir: string;
  /** The device token. */
  token: string;
  process: ChildProcess;
  /** Logs in and answers the `Cookie` header value of the session (admin by default). */
  login(username?: string, password?: string): Promise<string>;
  /** Creates a token as admin; the answer holds the secret. */
  createToken(body: TokenCreateBody): Promise<TokenCreated>;
  /** One wall token per server, created on first use: for tests that read the wall's data. */
  wallToken(): Promise<string>;
  /** Log lines so far (pino JSON), for assertions and for failure messages. */
  logs: string[];
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no flush, no goodbye. */
  kill(): Promise<void>;
}

/** How a test reaches a server over HTTP: its origin and the fetch that gets there. */
export type Http = Pick<RunningServer, 'url' | 'fetch'>;

/** A person's account for USERS_FILE; the helper hashes the password. */
export interface TestUser {
  username: string;
  password: string;
  role: Exclude<Role, 'wall' | 'device'>;
  scope?: string;
}

export interface StartOptions {
  env?: Record<string, string>;
  dataDir?: string;
  port?: number;
  /** Accounts besides `admin`, written to a USERS_FILE in the data directory. */
  users?: TestUser[];
  /** Another checkout of the server to run (an earlier release, for upgrade tests); default this one. */
  root?: string;
  /** Serve https with this certificate (TLS_CERT / TLS_KEY). */
  tls?: TestCertificate;
  /** Node's own flags before the server's script (a bench's `--cpu-prof`, which NODE_OPTIONS may not carry). */
  nodeArgs?: string[];
}

/**
 * The configuration every test server starts from, as environment variables (the in-process app in
 * app.ts reads the same through the config loader): a small history, no simulator, known secrets.
 */
export function testEnv(dataDir: string): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    // Beside the data directory, not in the checkout (BACKUP_DIR's default is ./backups).
    BACKUP_DIR: `${dataDir}-backups`,
    BACKFILL_SCALE: '0.02',
    SIMULATOR_RATE: '0',
    // No report made by the schedule: each would start a Chromium (the report tests make theirs).
    REPORT_SCHEDULE: '0',
    INGEST_TOKENS: TEST_TOKEN,
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    LOG_LEVEL: 'info',
  };
}

/** Writes `admin` and `users` to a USERS_FILE in the data directory; answers its path. */
export async function writeUsersFile(dataDir: string, users: TestUser[]): Promise<string> {
  const all: TestUser[] = [{ username: 'admin', password: TEST_ADMIN_PASSWORD, role: 'admin' }, ...users];
  const entries = await Promise.all(
    all.map(async ({ password, ...user }) => ({ ...user, passwordHash: await hashPassword(password) })),
  );
  const file = join(dataDir, 'test-users.json');
  writeFileSync(file, JSON.stringify(entries));
  return file;
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'wmsj-'));
  const port = options.port ?? (await freePort());
  const usersFile = options.users ? { USERS_FILE: await writeUsersFile(dataDir, options.users) } : {};
  const tls = options.tls ? { TLS_CERT: options.tls.certFile, TLS_KEY: options.tls.keyFile } : {};
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'server/server.ts'], {
    cwd: options.root ?? ROOT,
    env: {
      ...process.env,
      ...testEnv(dataDir),
      ...clickhouseEnv(dataDir),
      PORT: String(port),
      ...usersFile,
      ...tls,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const collect = (chunk: Buffer) =>
    logs.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((l) => l.length > 0),
    );
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  // Ready means answering HTTP, whatever the log level; a process that dies first fails the start.
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const fetch = options.tls ? fetchTrusting(options.tls.pem) : globalThis.fetch;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited with ${child.exitCode} before listening:\n${logs.slice(-30).join('\n')}`);
    }
    const ready = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((r) => setTimeout(r, 100));
  }

  if (TEST_TRANSPORT === 'http') {
    // The HTTP leg must not pass on chdb by mistake: the health of an authenticated caller names the transport.
    const health = (await (
      await fetch(`${url}/api/health`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })
    ).json()) as { clickhouse?: { transport?: string } };
    if (health.clickhouse?.transport !== 'http')
      throw new Error(`the server's store is not http: ${JSON.stringify(health)}`);
  }
  const { login, createToken, wallToken } = accounts(url, fetch);

  return {
    url,
    port,
    fetch,
    dataDir,
    token: TEST_TOKEN,
    process: child,
    logs,
    login,
    createToken,
    wallToken,
    async stop() {
      child.kill('SIGTERM');
      return exited(child);
    },
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
  };
}

/** Logging in and making tokens over HTTP, as a client of the server at `url` does (through `fetch`). */
export function accounts(
  url: string,
  fetch: typeof globalThis.fetch,
): Pick<RunningServer, 'login' | 'createToken' | 'wallToken'> {
  const login = async (username = 'admin', password = TEST_ADMIN_PASSWORD): Promise<string> => {
    const response = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const cookie = response.headers.get('set-cookie')?.split(';')[0];
    if (!response.ok || !cookie) throw new Error(`login as ${username} answered ${response.status}`);
    return cookie;
  };
  let admin: Promise<string> | null = null;
  const createToken = async (body: TokenCreateBody): Promise<TokenCreated> => {
    admin ??= login();
    const response = await fetch(`${url}/api/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: await admin },
      body: JSON.stringify(body),
    });
    if (response.status !== 201) throw new Error(`token creation answered ${response.status}`);
    return (await response.json()) as TokenCreated;
  };
  let wall: Promise<string> | null = null;
  const wallToken = () => (wall ??= createToken({ role: 'wall', label: 'test wall' }).then((c) => c.token));
  return { login, createToken, wallToken };
}

/** Polls `probe` until it returns a value other than undefined. No timing assertion: the test's timeout bounds it. */
export async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, intervalMs = 100): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
