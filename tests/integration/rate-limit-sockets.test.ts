/**
 * Per-socket event rate limits on every namespace (server/live/socket-rate-limit.ts): a socket that
 * floods gets `SOCKET_RATE_LIMITED` error acks and, if it keeps going, is disconnected; another
 * socket on the same namespace keeps its frames and its answers.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGEST_NAMESPACE } from '../../shared/ingest.js';
import { LIVE_NAMESPACE } from '../../shared/live.js';
import { checkin } from '../helpers/events.js';
import { post } from '../helpers/load.js';
import { eventually, startServer, type RunningServer } from '../helpers/server.js';

/** Low, so a flood is unmistakable even on a slow machine. */
const LIMIT = 20;
let server: RunningServer | undefined;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = await startServer({ env: { SOCKET_EVENTS_PER_SECOND: String(LIMIT) } });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
});

const app = (): RunningServer => {
  if (!server) throw new Error('server not started');
  return server;
};

async function open(namespace: string, token: string): Promise<Socket> {
  const socket = io(`${app().url}${namespace}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { token },
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

interface Ack {
  ok: boolean;
  error?: { code: string; message: string };
}

/** Sends `n` acked events at once and collects the answers (a refused one answers at once too). */
async function burst(socket: Socket, event: string, n: number, ...args: unknown[]): Promise<Ack[]> {
  return Promise.all(
    Array.from({ length: n }, () => socket.timeout(30_000).emitWithAck(event, ...args) as Promise<Ack>),
  );
}

describe('socket event rate limits', () => {
  it('a flooding /live socket gets error acks, then is disconnected; another wall keeps its frames', async () => {
    const wall = await app().wallToken();
    const flooder = await open(LIVE_NAMESPACE, wall);
    const neighbour = await open(LIVE_NAMESPACE, wall);

    const answers = await burst(flooder, 'live:resync', LIMIT * 2);
    const limited = answers.filter((a) => !a.ok);
    expect(answers.filter((a) => a.ok).length).toBeGreaterThan(0);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]?.error?.code).toBe('SOCKET_RATE_LIMITED');

    // The neighbour is untouched: its own requests are answered, and frames still reach it.
    expect(await burst(neighbour, 'live:resync', 3)).toMatchObject([{ ok: true }, { ok: true }, { ok: true }]);
    let ticks = 0;
    neighbour.on('live:tick', () => (ticks += 1));
    const event = checkin();
    expect((await post(app(), [event])).status).toBe(200);
    await eventually(() => (ticks > 0 ? true : undefined));

    // Ignoring the refusals costs the flooder its socket, not the server anything.
    const gone = new Promise<string>((resolve) => flooder.once('disconnect', resolve));
    for (let i = 0; i < LIMIT * 4; i += 1) flooder.emit('live:resync');
    expect(await gone).toBe('io server disconnect');
    expect(neighbour.connected).toBe(true);
    expect(await burst(neighbour, 'live:resync', 1)).toMatchObject([{ ok: true }]);
  });

  it('limits /ingest sockets the same way, one device apart from another', async () => {
    const flooder = await open(INGEST_NAMESPACE, app().token);
    const other = await open(INGEST_NAMESPACE, app().token);
    const answers = await burst(flooder, 'ingest:batch', LIMIT * 2, [checkin()]);
    expect(answers.some((a) => a.error?.code === 'SOCKET_RATE_LIMITED')).toBe(true);
    const [fine] = await burst(other, 'ingest:batch', 1, [checkin()]);
    expect(fine).toMatchObject({ ok: true, data: { accepted: 1 } });
  });
});
