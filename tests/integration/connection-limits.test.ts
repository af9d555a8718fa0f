/**
 * Limits per address and per credential, and request timeouts, on the real server (issue 13,
 * finding 6): a screen or script over its share meets a clear refusal, and /metrics counts them.
 * Every loop is bounded; traffic goes to 127.0.0.1 only.
 */
import { connect } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_NAMESPACE } from '../../shared/live.js';
import { startServer, type RunningServer } from '../helpers/server.js';

let server: RunningServer;
const sockets: Socket[] = [];

/** Opens a wall socket; answers 'connected' or the refusal's code. */
function open(token: string): Promise<string> {
  const socket = io(`${server.url}${LIVE_NAMESPACE}`, {
    auth: { token },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  sockets.push(socket);
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (err: Error & { data?: { code?: string } }) => resolve(err.data?.code ?? err.message));
  });
}

const refusals = async (): Promise<string[]> =>
  (await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${server.token}` } })).text())
    .split('\n')
    .filter((l) => l.startsWith('wmsj_connection_refusals_total{'));

beforeAll(async () => {
  server = await startServer({
    env: {
      SOCKETS_PER_ADDRESS: '5',
      SOCKETS_PER_CREDENTIAL: '3',
      REQUEST_TIMEOUT_MS: '2000',
      HEADERS_TIMEOUT_MS: '1500',
    },
  });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server.stop();
});

describe('connection limits', () => {
  it('refuses a token past its sockets, then an address past its own, with a clear code, and counts both', async () => {
    const first = (await server.createToken({ role: 'wall', label: 'limit 1' })).token;
    const second = (await server.createToken({ role: 'wall', label: 'limit 2' })).token;
    expect([await open(first), await open(first), await open(first)]).toEqual(['connected', 'connected', 'connected']);
    expect(await open(first)).toBe('SOCKET_TOO_MANY_CONNECTIONS');
    expect([await open(second), await open(second)]).toEqual(['connected', 'connected']);
    // Five from this address now: the other token's third is refused for the address.
    expect(await open(second)).toBe('SOCKET_TOO_MANY_CONNECTIONS');
    expect(await refusals()).toEqual(
      expect.arrayContaining([
        'wmsj_connection_refusals_total{reason="credential"} 1',
        'wmsj_connection_refusals_total{reason="address"} 1',
      ]),
    );
    // A place freed is a place to take.
    sockets[0]?.close();
    await expect.poll(() => open(second), { timeout: 10_000 }).toBe('connected');
  });

  it('answers a request trickling its body with 408 REQ_TIMEOUT and closes it', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const raw = connect(server.port, '127.0.0.1');
      let received = '';
      let sent = 0;
      raw.write(
        'POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
          `Authorization: Bearer ${server.token}\r\nContent-Length: 1000\r\n\r\n[`,
      );
      // One byte every 500 ms, at most 40 (20 s): far less than the 1,000 announced.
      const trickle = setInterval(() => {
        if (sent++ >= 40 || raw.destroyed) clearInterval(trickle);
        else raw.write(' ');
      }, 500);
      raw.on('data', (chunk) => (received += chunk.toString('utf8')));
      raw.on('close', () => {
        clearInterval(trickle);
        resolve(received);
      });
      raw.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toContain('"code":"REQ_TIMEOUT"');
    expect(await refusals()).toContain('wmsj_connection_refusals_total{reason="request_timeout"} 1');
  });
});
