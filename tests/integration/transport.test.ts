/**
 * HSTS and CSP `upgrade-insecure-requests` only for a page that really came over TLS, decided per
 * request: never over plain http (they made a wall opened as http://<server name>:3000 fetch every
 * script over https and stay black), present over the server's own https and behind a trusted
 * proxy saying https, absent when an untrusted client says it. The session cookie is `Secure` on the
 * same requests. Over https a wall socket connects, trusting the test certificate only.
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_NAMESPACE, type LiveSnapshot } from '../../shared/live.js';
import { startServer, TEST_ADMIN_PASSWORD, type RunningServer } from '../helpers/server.js';
import { selfSignedCertificate, type TestCertificate } from '../helpers/tls.js';

let plain: RunningServer | undefined;
let tls: RunningServer | undefined;
let certificate: TestCertificate | undefined;

beforeAll(async () => {
  certificate = selfSignedCertificate(['wall.lan.test']);
  // The proxy is 127.0.0.1; a client on 127.0.0.2 (loopback too) is anyone else.
  [plain, tls] = await Promise.all([
    startServer({ env: { TRUST_PROXY: '127.0.0.1' } }),
    startServer({ tls: certificate }),
  ]);
});
afterAll(async () => {
  await Promise.all([plain?.stop(), tls?.stop()]);
});

const running = (server: RunningServer | undefined): RunningServer => {
  if (!server) throw new Error('server not started');
  return server;
};

/** One plain-http request from `from` (a loopback address), answering status and headers. */
function httpFrom(
  from: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  const url = new URL(path, running(plain).url);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: body ? 'POST' : 'GET', localAddress: from, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const login = JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD });
const json = { 'content-type': 'application/json' };

/** Whether the TLS-only headers came, from headers as a plain record (node:http's, or a Response's). */
const tlsOnly = (headers: Record<string, unknown>) => ({
  hsts: headers['strict-transport-security'] !== undefined,
  upgrade: String(headers['content-security-policy']).includes('upgrade-insecure-requests'),
});
const secureCookie = (setCookie: string | string[] | null | undefined) =>
  /;\s*Secure/i.test(Array.isArray(setCookie) ? setCookie.join('\n') : (setCookie ?? ''));

describe('TLS-only headers, per request', () => {
  it('sends neither over plain http, from anyone, and the session cookie is not Secure', async () => {
    for (const from of ['127.0.0.1', '127.0.0.2']) {
      const page = await httpFrom(from, '/', {});
      expect(page.status).toBe(200);
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      expect(tlsOnly(page.headers)).toEqual({ hsts: false, upgrade: false });
    }
    const session = await httpFrom('127.0.0.1', '/api/auth/login', json, login);
    expect(session.status).toBe(200);
    expect(secureCookie(session.headers['set-cookie'])).toBe(false);
  });

  it('sends both behind the trusted proxy saying https, with a Secure cookie', async () => {
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '192.0.2.7' };
    const page = await httpFrom('127.0.0.1', '/', forwarded);
    expect(tlsOnly(page.headers)).toEqual({ hsts: true, upgrade: true });
    const session = await httpFrom('127.0.0.1', '/api/auth/login', { ...json, ...forwarded }, login);
    expect(session.status).toBe(200);
    expect(secureCookie(session.headers['set-cookie'])).toBe(true);
  });

  it('ignores X-Forwarded-Proto from a client that is not the trusted proxy', async () => {
    const page = await httpFrom('127.0.0.2', '/', { 'x-forwarded-proto': 'https' });
    expect(page.status).toBe(200);
    expect(tlsOnly(page.headers)).toEqual({ hsts: false, upgrade: false });
    const session = await httpFrom('127.0.0.2', '/api/auth/login', { ...json, 'x-forwarded-proto': 'https' }, login);
    expect(session.status).toBe(200);
    expect(secureCookie(session.headers['set-cookie'])).toBe(false);
  });

  it('sends both over its own https, with a Secure cookie', async () => {
    const server = running(tls);
    expect(server.url).toMatch(/^https:/);
    const page = await server.fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(tlsOnly(Object.fromEntries(page.headers))).toEqual({ hsts: true, upgrade: true });
    const session = await server.fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: json, body: login });
    expect(session.status).toBe(200);
    expect(secureCookie(session.headers.get('set-cookie'))).toBe(true);
  });
});

describe('https built in', () => {
  it('carries a wall socket over wss, trusting only the test certificate', async () => {
    const server = running(tls);
    const token = await server.wallToken();
    if (!certificate) throw new Error('no certificate');
    const socket = io(`${server.url}${LIVE_NAMESPACE}`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { token },
      ca: certificate.pem,
      rejectUnauthorized: true,
    });
    try {
      const snapshot = await new Promise<LiveSnapshot>((resolve, reject) => {
        socket.once('live:snapshot', resolve);
        socket.once('connect_error', reject);
      });
      expect(snapshot.kpi.registeredVolunteers).toBeGreaterThan(0);
    } finally {
      socket.close();
    }
  });

  it('refuses a client that does not trust the certificate (it is really TLS, verified)', async () => {
    const server = running(tls);
    await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();
    const socket = io(`${server.url}${LIVE_NAMESPACE}`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { token: await server.wallToken() },
    });
    try {
      const outcome = await new Promise<string>((resolve) => {
        socket.once('connect', () => resolve('connected'));
        socket.once('connect_error', (e) => resolve(`refused: ${e.message}`));
      });
      expect(outcome).toMatch(/^refused/);
    } finally {
      socket.close();
    }
  });
});
