/**
 * A socket.io client whose every packet on its namespace is recorded as it arrives off the wire
 * (the manager's `packet` event, before the socket buffers or drops anything), so a test can say
 * exactly what reached it after a given moment — and drive connection-state recovery by hand:
 * drop its transport, then come back with the saved session id and offset and whatever
 * credentials it chooses.
 */
import { io, type Socket } from 'socket.io-client';
import type { Credential } from './auth.js';

/** socket.io-parser's packet types (the protocol's numbers). */
export const PacketType = { connect: 0, disconnect: 1, event: 2, ack: 3, connectError: 4 } as const;

interface Recorded {
  type: number;
  data?: unknown;
}

/** Pushes the server may have sent before a credential ended, still on the wire as it ends. */
const PUSHES: ReadonlySet<string> = new Set(['live:tick', 'dispatch:order', 'dispatch:volunteer']);

export interface Watched {
  socket: Socket;
  packets: Recorded[];
  /** Every event and ack recorded since `from` (an index into `packets`), as `event:name` / `ack`. */
  eventsSince(from: number): string[];
  /**
   * What was answered since `from`: acks and answering events before the server's disconnect
   * (pushes already in flight excepted), and anything at all after it.
   */
  answersSince(from: number): string[];
}

const handshakeOf = (credential: Credential) => ({
  auth: credential && 'token' in credential ? { token: credential.token } : {},
  extraHeaders: credential && 'cookie' in credential ? { cookie: credential.cookie } : {},
});

export function watchedSocket(url: string, namespace: string, credential: Credential): Watched {
  const socket = io(`${url}${namespace}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    ...handshakeOf(credential),
  });
  const packets: Recorded[] = [];
  socket.io.on('packet', (packet) => {
    if (packet.nsp === namespace) packets.push({ type: packet.type, data: packet.data as unknown });
  });
  const named = (list: Recorded[]) =>
    list
      .filter((p) => p.type === PacketType.event || p.type === PacketType.ack)
      .map((p) => (p.type === PacketType.ack ? 'ack' : `event:${String((p.data as unknown[])[0])}`));
  return {
    socket,
    packets,
    eventsSince: (from) => named(packets.slice(from)),
    answersSince(from) {
      const after = packets.slice(from);
      const cut = after.findIndex((p) => p.type === PacketType.disconnect);
      const before = named(cut < 0 ? after : after.slice(0, cut)).filter((n) => !PUSHES.has(n.slice('event:'.length)));
      return [...before, ...named(cut < 0 ? [] : after.slice(cut + 1))];
    },
  };
}

/** Resolves 'connected', 'recovered', or the refusal's `data.code`. */
export function outcome(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    const done = (result: string) => {
      socket.off('connect', onConnect);
      socket.off('connect_error', onError);
      resolve(result);
    };
    const onConnect = () => done(socket.recovered ? 'recovered' : 'connected');
    const onError = (err: Error & { data?: { code?: string } }) => done(err.data?.code ?? `transport: ${err.message}`);
    socket.on('connect', onConnect);
    socket.on('connect_error', onError);
  });
}

/** The next event `name` on the socket (a broadcast carries the offset recovery needs). */
export const next = (socket: Socket, name: string): Promise<unknown> =>
  new Promise((resolve) => socket.once(name, resolve));

/** Drops the socket's transport as a flaky network would: the server keeps its state for recovery. */
export async function dropTransport(socket: Socket): Promise<string> {
  const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));
  socket.io.engine.close();
  return dropped;
}

/** Comes back with the saved session id and offset, presenting `credential` (null: none at all). */
export function recover(socket: Socket, credential: Credential): Promise<string> {
  const { auth, extraHeaders } = handshakeOf(credential);
  socket.auth = auth;
  socket.io.opts.extraHeaders = extraHeaders;
  const result = outcome(socket);
  socket.connect();
  return result;
}

/**
 * Waits until the socket is disconnected by the server or anything is answered after `from`,
 * whichever comes first (so old code that keeps answering fails at once instead of hanging).
 */
export async function disconnectedOrAnswered(watched: Watched, from: number): Promise<void> {
  if (!watched.socket.connected) return;
  await new Promise<void>((resolve) => {
    const check = () => {
      if (!watched.socket.connected || watched.answersSince(from).length > 0) {
        watched.socket.io.off('packet', check);
        resolve();
      }
    };
    // Registered after the recorder, so it sees each packet already recorded.
    watched.socket.io.on('packet', check);
    watched.socket.once('disconnect', check);
  });
}
