/**
 * The README's nginx example, as written there, in front of the real server with TRUST_PROXY: the
 * page comes with the TLS-only headers and a Secure cookie (nginx ends TLS and says so through
 * X-Forwarded-Proto), and a browser-like wall socket — Origin sent, on a port that is not 443 —
 * upgrades to WebSocket through it and gets its snapshot.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_NAMESPACE, type LiveSnapshot } from '../../shared/live.js';
import { freePort } from '../helpers/ports.js';
import { eventually, startServer, TEST_ADMIN_PASSWORD, type RunningServer } from '../helpers/server.js';
import { fetchTrusting, selfSignedCertificate, type TestCertificate } from '../helpers/tls.js';

const NGINX = '/usr/sbin/nginx';
const README = fileURLToPath(new URL('../../README.md', import.meta.url));

let server: RunningServer | undefined;
let nginx: ChildProcess | undefined;
let certificate: TestCertificate | undefined;
let base = '';

/** The README's `nginx` block on test ports and files, inside the few lines nginx needs around it. */
function configFrom(
  readme: string,
  dir: string,
  cert: TestCertificate,
  tlsPort: number,
  httpPort: number,
  upstream: number,
) {
  const block = readme.split('```nginx\n')[1]?.split('```')[0];
  if (!block) throw new Error('README has no nginx example');
  const replaced = block
    .replace('listen 443 ssl;', `listen 127.0.0.1:${tlsPort} ssl;`)
    .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
    .replace('/etc/nginx/tls/fullchain.pem', cert.certFile)
    .replace('/etc/nginx/tls/privkey.pem', cert.keyFile)
    .replace('http://127.0.0.1:3000', `http://127.0.0.1:${upstream}`);
  expect(replaced).toContain(`listen 127.0.0.1:${tlsPort} ssl;`); // the example still has what we replace
  expect(replaced).toContain(`proxy_pass http://127.0.0.1:${upstream};`);
  return [
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log;`,
    'events {}',
    'http {',
    `access_log ${dir}/access.log;`,
    `client_body_temp_path ${dir}/body;`,
    `proxy_temp_path ${dir}/proxy;`,
    replaced,
    '}',
  ].join('\n');
}

beforeAll(async () => {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} missing: run scripts/install-test-deps.sh`);
  certificate = selfSignedCertificate(['wmsj.example.gov.cn']);
  server = await startServer({ env: { TRUST_PROXY: '127.0.0.1' } });
  const [tlsPort, httpPort] = [await freePort(), await freePort()];
  const dir = `${server.dataDir}/nginx`;
  mkdirSync(dir);
  writeFileSync(
    `${dir}/nginx.conf`,
    configFrom(readFileSync(README, 'utf8'), dir, certificate, tlsPort, httpPort, server.port),
  );
  nginx = spawn(NGINX, ['-p', dir, '-c', `${dir}/nginx.conf`, '-g', 'daemon off;'], { stdio: 'inherit' });
  base = `https://127.0.0.1:${tlsPort}`;
  const trusted = fetchTrusting(certificate.pem);
  await eventually(() => {
    if (nginx?.exitCode !== null) throw new Error(`nginx exited with ${String(nginx?.exitCode)}`);
    return trusted(`${base}/api/health`).then(
      (r) => (r.ok ? true : undefined),
      () => undefined,
    );
  });
});
afterAll(async () => {
  nginx?.kill('SIGTERM');
  await server?.stop();
});

describe("the README's nginx in front of the server", () => {
  it('serves the page with HSTS, upgrade-insecure-requests and a Secure session cookie', async () => {
    const trusted = fetchTrusting(certificate?.pem ?? '');
    const page = await trusted(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('strict-transport-security')).toContain('max-age=');
    expect(page.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    const login = await trusted(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
    });
    expect(login.status).toBe(200);
    expect(login.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
  });

  it("carries a wall's socket as WebSocket, with the page's Origin on a port that is not 443", async () => {
    if (!server || !certificate) throw new Error('setup did not run');
    const socket = io(`${base}${LIVE_NAMESPACE}`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { token: await server.wallToken() },
      ca: certificate.pem,
      extraHeaders: { origin: base },
    });
    try {
      const snapshot = await new Promise<LiveSnapshot>((resolve, reject) => {
        socket.once('live:snapshot', resolve);
        socket.once('connect_error', reject);
      });
      expect(snapshot.kpi.registeredVolunteers).toBeGreaterThan(0);
      expect(socket.io.engine.transport.name).toBe('websocket');
    } finally {
      socket.close();
    }
  });
});
