/**
 * The dispatch console's socket: the `/dispatch` namespace, typed by the shared contract. A second
 * connection beside the wall's `/live`; it carries only the person's session cookie (never a wall
 * token a shared browser may hold: a wall cannot dispatch). It does not connect on import — the
 * dispatch store binds first so the snapshot sent on connect is never missed.
 */
import { io, type Socket } from 'socket.io-client';
import type { DISPATCH_NAMESPACE, DispatchClientToServer, DispatchServerToClient } from '../shared/dispatch';

export type DispatchSocket = Socket<DispatchServerToClient, DispatchClientToServer>;

// Checked against the shared constant's type: a renamed namespace fails the type check.
const NAMESPACE: typeof DISPATCH_NAMESPACE = '/dispatch';

export function createDispatchSocket(): DispatchSocket {
  return io(NAMESPACE, {
    autoConnect: false,
    withCredentials: true,
    // A desk console: come back quickly after a blip, but do not hammer a restarting server.
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
  });
}
