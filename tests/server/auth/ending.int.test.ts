/**
 * A credential that ends ends everywhere at once (issue 13, finding 1), on the real server with
 * real socket.io clients. For each way it ends — a token revoked, a session logged out, an account
 * disabled, a session run out — and each namespace the credential can open (/live, /dispatch, /ingest):
 * (a) the open socket is disconnected at once and nothing it asks afterwards is answered;
 * (b) a socket that dropped its transport before the end and comes back with its saved session
 *     id and offset (connection-state recovery) is refused, and gets none of the frames it missed.
 * And a recovery is admitted only on the credentials presented now, like a new connection.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISPATCH_NAMESPACE } from '../../../shared/dispatch.js';
import { INGEST_NAMESPACE } from '../../../shared/ingest.js';
import { LIVE_NAMESPACE } from '../../../shared/live.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { headersFor, type Credential } from '../../helpers/auth.js';
import { networkNodes, requestOrder } from '../../helpers/dispatch.js';
import { checkin } from '../../helpers/events.js';
import { eventually, startServer, type Http, type RunningServer } from '../../helpers/server.js';
import {
  disconnectedOrAnswered,
  dropTransport,
  next,
  outcome,
  recover,
  watchedSocket,
  type Watched,
} from '../../helpers/socket-watch.js';

const ENV = { DISPATCH_AUTO_ESCALATE: '0' };
const PASSWORD = 'a test password for the dispatcher';
const USERS = [{ username: 'd-off', password: PASSWORD, role: 'dispatcher' as const, scope: 'district' }];
/** 18 s: long enough to open every socket first on a loaded machine, short enough to wait for. */
const SHORT_TTL_HOURS = '0.005';
let server: TestApp;
/** A process of its own: chdb holds one data directory per process, and this test file holds `server`'s. */
let short: RunningServer;
const opened: Socket[] = [];
/** Either server: both take logins, make orders and carry sockets. */
type Server = Http & Pick<RunningServer, 'login' | 'token'>;

beforeAll(async () => {
  [server, short] = await Promise.all([
    startApp({ env: ENV, users: USERS }),
    startServer({ env: { ...ENV, SESSION_TTL_HOURS: SHORT_TTL_HOURS } }),
  ]);
}, 180_000);
afterAll(async () => {
  for (const socket of opened) socket.close();
  await Promise.all([server.close(), short.stop()]);
});

/** What each namespace broadcasts (so a socket holds a recovery offset) and how it is asked things. */
const BROADCAST: Record<string, string | null> = {
  [LIVE_NAMESPACE]: 'live:tick',
  [DISPATCH_NAMESPACE]: 'dispatch:order',
  [INGEST_NAMESPACE]: null,
};
const ask = (socket: Socket, namespace: string, orderId: string) => {
  if (namespace === LIVE_NAMESPACE) {
    socket.emit('live:resync', () => undefined);
    socket.emit('live:subscribe', { query: 'trend', params: { metric: 'checkins', window: '24h' } }, () => undefined);
  } else if (namespace === DISPATCH_NAMESPACE) {
    socket.emit('dispatch:resync', () => undefined);
    socket.emit('dispatch:candidates', { orderId }, () => undefined);
    socket.emit('dispatch:view', orderId);
  } else socket.emit('ingest:batch', [checkin()], () => undefined);
};

async function connect(on: Server, namespace: string, credential: Credential): Promise<Watched> {
  const watched = watchedSocket(on.url, namespace, credential);
  opened.push(watched.socket);
  expect(await outcome(watched.socket)).toBe('connected');
  return watched;
}

/** Something every namespace broadcasts to its sockets: a check-in (a live frame) and a new order. */
async function broadcast(on: Server): Promise<string> {
  const admin = { cookie: await on.login() };
  const [station] = (await networkNodes(on, admin)).filter((n) => n.level === 'station');
  await on.fetch(`${on.url}/api/v1/events`, {
    method: 'POST',
    headers: { ...headersFor({ token: on.token }), 'content-type': 'application/json' },
    body: JSON.stringify([checkin()]),
  });
  return (await requestOrder(on, admin, station?.id ?? 'S001')).id;
}

interface Sockets {
  /** Open while the credential ends. */
  open: Map<string, Watched>;
  /** Dropped their transport before it ends; they try to come back afterwards. */
  away: Map<string, Watched>;
  orderId: string;
}

/** Opens both kinds of socket on each namespace; the away ones hold an offset and miss a frame. */
async function prepare(on: Server, namespaces: Record<string, Credential>): Promise<Sockets> {
  const open = new Map<string, Watched>();
  const away = new Map<string, Watched>();
  for (const [ns, credential] of Object.entries(namespaces)) {
    open.set(ns, await connect(on, ns, credential));
    away.set(ns, await connect(on, ns, credential));
  }
  const heard = [...away].flatMap(([ns, w]) => (BROADCAST[ns] ? [next(w.socket, BROADCAST[ns])] : []));
  await broadcast(on);
  await Promise.all(heard);
  for (const w of away.values()) expect(await dropTransport(w.socket)).toBe('forced close');
  // Frames the away sockets miss: a recovery would deliver them.
  const orderId = await broadcast(on);
  return { open, away, orderId };
}

/** (a) and (b) after the credential behind `sockets` has ended. */
async function expectEndedEverywhere(sockets: Sockets, marks: Map<string, number>): Promise<void> {
  for (const [ns, w] of sockets.open) {
    ask(w.socket, ns, sockets.orderId);
    await disconnectedOrAnswered(w, marks.get(ns) ?? 0);
    expect({ ns, answers: w.answersSince(marks.get(ns) ?? 0) }).toEqual({ ns, answers: [] });
    expect({ ns, connected: w.socket.connected }).toEqual({ ns, connected: false });
  }
  for (const [ns, w] of sockets.away) {
    const from = w.packets.length;
    expect({ ns, recovery: await recover(w.socket, null) }).toEqual({ ns, recovery: 'AUTH_UNAUTHENTICATED' });
    expect({ ns, missed: w.eventsSince(from) }).toEqual({ ns, missed: [] });
  }
}

const marksOf = (sockets: Sockets) => new Map([...sockets.open].map(([ns, w]) => [ns, w.packets.length]));

describe('a credential that ends, ends on every namespace at once', () => {
  it('a revoked wall token (/live) and device token (/ingest)', async () => {
    const wall = await server.createToken({ role: 'wall', label: 'to revoke' });
    const device = await server.createToken({ role: 'device', label: 'to revoke' });
    const sockets = await prepare(server, {
      [LIVE_NAMESPACE]: { token: wall.token },
      [INGEST_NAMESPACE]: { token: device.token },
    });
    const marks = marksOf(sockets);
    const admin = { cookie: await server.login() };
    for (const { info } of [wall, device]) {
      const revoked = await server.fetch(`${server.url}/api/auth/tokens/${info.id}`, {
        method: 'DELETE',
        headers: headersFor(admin),
      });
      expect(revoked.status).toBe(200);
    }
    await expectEndedEverywhere(sockets, marks);
  });

  it('a session logged out (/live, /dispatch, /ingest)', async () => {
    const session = { cookie: await server.login() };
    const sockets = await prepare(server, {
      [LIVE_NAMESPACE]: session,
      [DISPATCH_NAMESPACE]: session,
      [INGEST_NAMESPACE]: session,
    });
    const marks = marksOf(sockets);
    const out = await server.fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: headersFor(session) });
    expect(out.status).toBe(204);
    await expectEndedEverywhere(sockets, marks);
  });

  it('an account disabled (/live, /dispatch)', async () => {
    const session = { cookie: await server.login('d-off', PASSWORD) };
    const sockets = await prepare(server, { [LIVE_NAMESPACE]: session, [DISPATCH_NAMESPACE]: session });
    const marks = marksOf(sockets);
    const admin = { cookie: await server.login() };
    const off = await server.fetch(`${server.url}/api/v1/admin/users/d-off/disable`, {
      method: 'POST',
      headers: headersFor(admin),
    });
    expect(off.status).toBe(200);
    await expectEndedEverywhere(sockets, marks);
  });

  it('a session that runs out (/live, /dispatch, /ingest)', async () => {
    const session = { cookie: await short.login() };
    const sockets = await prepare(short, {
      [LIVE_NAMESPACE]: session,
      [DISPATCH_NAMESPACE]: session,
      [INGEST_NAMESPACE]: session,
    });
    const marks = marksOf(sockets);
    await eventually(async () => {
      const me = await short.fetch(`${short.url}/api/auth/me`, { headers: headersFor(session) });
      return me.status === 401 ? true : undefined;
    }, 250);
    await expectEndedEverywhere(sockets, marks);
  }, 60_000);
});

describe('a recovered socket is admitted like a new one', () => {
  it('needs the credentials presented now, even while the saved one still holds', async () => {
    const session = { cookie: await server.login() };
    for (const ns of [LIVE_NAMESPACE, DISPATCH_NAMESPACE]) {
      const w = await connect(server, ns, session);
      const heard = next(w.socket, BROADCAST[ns] ?? '');
      await broadcast(server);
      await heard;
      expect(await dropTransport(w.socket)).toBe('forced close');
      await broadcast(server);
      const from = w.packets.length;
      expect({ ns, bare: await recover(w.socket, null) }).toEqual({ ns, bare: 'AUTH_UNAUTHENTICATED' });
      expect({ ns, missed: w.eventsSince(from) }).toEqual({ ns, missed: [] });
      // The same socket with its credential comes back with its state (the path above is real).
      expect({ ns, back: await recover(w.socket, session) }).toEqual({ ns, back: 'recovered' });
    }
  });
});
