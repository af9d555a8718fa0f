/**
 * The check every authenticated Socket.IO namespace goes through, and the other half of ending a
 * credential: each admitted socket joins its credential's room, so when the credential ends
 * (AuthService.onEnded: a revoked token, a logout, an expired session, an account's sessions ended)
 * its sockets on every guarded namespace are disconnected at once.
 */
import type { Server } from 'socket.io';
import { AuthCode, type Role } from '../../shared/auth.js';
import { Errors } from '../errors.js';
import { handshakeCredentials, type Handshake, type Unsign } from './credentials.js';
import { RecoveryGate, type HeldSocket } from './recovery.js';
import { credentialRoom, type SocketAuth } from './rooms.js';
import { admit, type AuthService, type Credentials } from './service.js';

interface GuardedNamespace {
  name: string;
  in(room: string): { disconnectSockets(close: boolean): void };
}
/** The parts of a Socket.IO socket the guard uses (any namespace's typed socket has them). */
export interface GuardedSocket extends HeldSocket {
  id: string;
  handshake: Handshake;
  data: unknown;
  recovered: boolean;
  rooms: Set<string>;
  nsp: GuardedNamespace;
  join(room: string): Promise<void> | void;
  leave(room: string): Promise<void> | void;
}
export type SocketMiddleware = (socket: GuardedSocket, next: (err?: Error) => void) => void;

const socketError = (code: AuthCode, message: string) => Object.assign(new Error(message), { data: { code } });

export class SocketGuard {
  /** Restores a socket's saved state only while its credential holds; installed on the Socket.IO server. */
  readonly recovery: RecoveryGate;
  private readonly guarded = new Set<GuardedNamespace>();

  constructor(
    private readonly auth: AuthService,
    private readonly parseCookie: (header: string) => Record<string, string | undefined>,
    private readonly unsign: Unsign,
  ) {
    this.recovery = new RecoveryGate((credential) => auth.checkLive(credential));
    auth.onEnded((credential) => {
      for (const ns of this.guarded) ns.in(credentialRoom(credential)).disconnectSockets(true);
    });
  }

  /**
   * Guards every namespace of `io` from its creation, not from the first socket it admits here:
   * with several nodes a credential may end at a node whose namespace has no socket of it, while
   * its sockets are on the others (the Redis adapter carries `disconnectSockets` to them).
   */
  install(io: Server): void {
    io.on('new_namespace', (ns) => this.guarded.add(ns));
  }

  /**
   * Namespace middleware: the handshake must resolve to one of `roles`. It runs for recovered
   * sockets too (plugins/app/live.ts: `skipMiddlewares: false`): a socket that comes back with its
   * saved session id is admitted only on the credentials it presents now.
   */
  middleware(roles: readonly Role[]): SocketMiddleware {
    return (socket, next) => {
      this.guarded.add(socket.nsp);
      const credentials = handshakeCredentials(socket.handshake, this.parseCookie, this.unsign);
      if (!this.auth.shared) {
        this.admit(socket, credentials, roles, next);
        return;
      }
      // Read into memory first when another node made the credential; then admitted and joined in
      // one turn, so an end heard meanwhile cannot slip between the check and the join.
      void this.auth.prepare(credentials).then(
        () => this.admit(socket, credentials, roles, next),
        (error: unknown) => next(error instanceof Error ? error : new Error(String(error))),
      );
    };
  }

  private admit(
    socket: GuardedSocket,
    credentials: Credentials,
    roles: readonly Role[],
    next: (err?: Error) => void,
  ): void {
    const admitted = admit(this.auth.resolve(credentials), roles);
    if (typeof admitted !== 'object') {
      if (socket.recovered) this.recovery.release(socket, false);
      next(
        admitted === 'unauthenticated'
          ? socketError(AuthCode.unauthenticated, new Errors.UNAUTHENTICATED().message)
          : socketError(AuthCode.forbidden, new Errors.FORBIDDEN('connect here').message),
      );
      return;
    }
    const room = admitted.credential && credentialRoom(admitted.credential);
    if (socket.recovered) {
      const saved = (socket.data as Partial<SocketAuth> | undefined)?.credential;
      const same = (saved ? credentialRoom(saved) : null) === room;
      // Restored under another credential: none of its rooms (scope, town, queries) is this one's.
      if (!same) for (const r of [...socket.rooms]) if (r !== socket.id) void socket.leave(r);
      this.recovery.release(socket, same);
    }
    socket.data = { principal: admitted.principal, credential: admitted.credential } satisfies SocketAuth;
    // Joined now so that ending the credential disconnects this socket.
    if (room !== null) void socket.join(room);
    next();
  }
}
