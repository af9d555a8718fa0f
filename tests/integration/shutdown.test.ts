/**
 * SIGTERM ends the server within its deadline whatever is connected (issue 14.12: one stop in
 * three logged "shutdown deadline passed" with a wall connected). Each stop has, beside a wall on
 * `/live` under simulator load: a wall whose browser froze (a WebSocket peer that never answers
 * the close handshake, so a graceful close waits for it), an engine.io connection that joined no
 * namespace (a refused screen, or one mid-reconnect), and a long poll held open.
 */
import { connect, type Socket as NetSocket } from 'node:net';
import { io } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.js';

const STOPS = 5;
let server: RunningServer | undefined;
const open: NetSocket[] = [];

/** A WebSocket upgrade that is then never read from: its peer will not answer a close frame. */
function frozenWebSocket(port: number): Promise<NetSocket> {
  return new Promise((resolve, reject) => {
    const raw = connect(port, '127.0.0.1', () => {
      raw.write(
        `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
          'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
          'Sec-WebSocket-Version: 13\r\n\r\n',
      );
    });
    raw.once('data', (chunk) => {
      raw.pause();
      if (chunk.toString('latin1').startsWith('HTTP/1.1 101')) resolve(raw);
      else reject(new Error(`no upgrade: ${chunk.toString('latin1').slice(0, 80)}`));
    });
    raw.once('error', reject);
    open.push(raw);
  });
}

/** An engine.io long-poll session whose next poll is left pending on the server. */
async function heldPoll(url: string): Promise<void> {
  const handshake = await (await fetch(`${url}/socket.io/?EIO=4&transport=polling`)).text();
  const sid = /"sid":"([^"]+)"/.exec(handshake)?.[1];
  if (!sid) throw new Error(`no engine.io session: ${handshake}`);
  // Not awaited: the server holds it until it has something to send or closes.
  fetch(`${url}/socket.io/?EIO=4&transport=polling&sid=${sid}`).catch(() => undefined);
}

describe('shutdown', () => {
  afterAll(async () => {
    for (const s of open) s.destroy();
    await server?.kill();
  });

  it(`stops cleanly ${STOPS} times in a row with walls, frozen peers and held polls connected`, async () => {
    let dataDir: string | undefined;
    for (let i = 0; i < STOPS; i += 1) {
      server = await startServer({ ...(dataDir ? { dataDir } : {}), env: { SIMULATOR_RATE: '200' } });
      dataDir = server.dataDir;
      const token = await server.wallToken();
      const wall = io(`${server.url}/live`, { auth: { token }, transports: ['websocket'], reconnection: false });
      await new Promise<void>((resolve, reject) => {
        wall.once('live:snapshot', () => resolve());
        wall.once('connect_error', reject);
      });
      await frozenWebSocket(server.port);
      await heldPoll(server.url);

      const code = await server.stop();
      wall.close();
      expect(code, server.logs.slice(-5).join('\n')).toBe(0);
      expect(server.logs.filter((l) => l.includes('shutdown deadline passed'))).toEqual([]);
      server = undefined;
    }
  });
});
