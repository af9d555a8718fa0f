/** A citizen's phone as the tests drive it: the public routes, anonymous, and the `/track` socket. */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { CitizenOrderBody } from '../../shared/public.js';
import { PUBLIC_API, TRACK_NAMESPACE, TRACK_TOKEN_HEADER, type TrackView } from '../../shared/public.js';
import type { Http } from './server.js';

export interface Answer<T = unknown> {
  status: number;
  body: T;
}

async function call<T>(server: Http, method: string, path: string, body?: unknown, token?: string): Promise<Answer<T>> {
  const response = await server.fetch(`${server.url}${PUBLIC_API}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token === undefined ? {} : { [TRACK_TOKEN_HEADER]: token }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

export const nodePage = (server: Http, segment: string) => call(server, 'GET', `/nodes/${segment}`);

/** A 点单 body for a window from tomorrow 09:00 (well inside the 14 days) for two hours. */
export function orderBody(overrides: Partial<CitizenOrderBody> = {}): CitizenOrderBody {
  const from = Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 86_400_000;
  return {
    commandId: randomUUID(),
    category: 'elderly',
    window: { from, to: from + 2 * 3_600_000 },
    note: '家里老人需要有人陪同去医院',
    phone: '13812345678',
    ...overrides,
  };
}

export const placeOrder = (server: Http, segment: string, body: unknown) =>
  call<{ token: string; replayed: boolean; code?: string }>(server, 'POST', `/nodes/${segment}/orders`, body);
export const postAppeal = (server: Http, segment: string, body: unknown) =>
  call<{ replayed?: boolean; code?: string }>(server, 'POST', `/nodes/${segment}/appeals`, body);
export const track = (server: Http, token: string) =>
  call<TrackView & { code?: string }>(server, 'GET', '/track', undefined, token);
export const rate = (server: Http, token: string, body: unknown) =>
  call<TrackView & { code?: string }>(server, 'POST', '/track/rating', body, token);

/** A `/track` socket with the token in its handshake's `auth`, keeping every view pushed. */
export function trackSocket(
  url: string,
  token: string,
): { socket: Socket; views: TrackView[]; ready: Promise<string> } {
  const socket = io(`${url}${TRACK_NAMESPACE}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { token },
  });
  const views: TrackView[] = [];
  socket.on('track:order', (view: TrackView) => views.push(view));
  const ready = new Promise<string>((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (err: Error & { data?: { code?: string } }) => resolve(err.data?.code ?? err.message));
  });
  return { socket, views, ready };
}
