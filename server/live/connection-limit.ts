/**
 * Connections per address and per credential on every Socket.IO namespace, present and future: a
 * misbehaving screen or script (one address once held 3,000 sockets) meets a clear refusal —
 * `connect_error` with `data.code` SOCKET_TOO_MANY_CONNECTIONS — instead of the server's memory.
 * Sockets are counted once connected (after every middleware, the guard included), so a refused
 * handshake never holds a place; the check runs in the middleware, before the guard's work.
 *
 * The address is the socket's peer: behind a proxy that is the proxy's, so set the limit for all
 * the screens behind it (README, "On the network"). A credential is the handshake's token or, for
 * a person, the session cookie, kept only as a hash.
 */
import { createHash } from 'node:crypto';
import type { Namespace, Server, Socket } from 'socket.io';
import { Errors } from '../errors.js';

export interface ConnectionLimits {
  perAddress: number;
  perCredential: number;
}

export const RefusalReason = { address: 'address', credential: 'credential' } as const;
export type RefusalReason = (typeof RefusalReason)[keyof typeof RefusalReason];

function credentialOf(socket: Socket): string | null {
  const token = (socket.handshake.auth as Record<string, unknown>)['token'];
  const secret = typeof token === 'string' && token !== '' ? token : socket.handshake.headers.cookie;
  return secret ? createHash('sha256').update(secret).digest('base64url') : null;
}

export function limitConnections(io: Server, limits: ConnectionLimits, onRefused: (r: RefusalReason) => void): void {
  const byAddress = new Map<string, number>();
  const byCredential = new Map<string, number>();
  const add = (counts: Map<string, number>, key: string, step: number) => {
    const n = (counts.get(key) ?? 0) + step;
    if (n > 0) counts.set(key, n);
    else counts.delete(key);
  };
  const refuse = (reason: RefusalReason, limit: number) => {
    onRefused(reason);
    const error = new Errors.SOCKET_TOO_MANY_CONNECTIONS(limit, reason === 'address' ? 'address' : 'credential');
    return Object.assign(new Error(error.message), { data: { code: error.code } });
  };
  const hook = (ns: Namespace) => {
    ns.use((socket, next) => {
      const credential = credentialOf(socket);
      if ((byAddress.get(socket.handshake.address) ?? 0) >= limits.perAddress) {
        next(refuse('address', limits.perAddress));
      } else if (credential !== null && (byCredential.get(credential) ?? 0) >= limits.perCredential) {
        next(refuse('credential', limits.perCredential));
      } else next();
    });
    ns.on('connection', (socket: Socket) => {
      const address = socket.handshake.address;
      const credential = credentialOf(socket);
      add(byAddress, address, 1);
      if (credential !== null) add(byCredential, credential, 1);
      socket.once('disconnect', () => {
        add(byAddress, address, -1);
        if (credential !== null) add(byCredential, credential, -1);
      });
    });
  };
  hook(io.of('/'));
  io.on('new_namespace', hook);
}
