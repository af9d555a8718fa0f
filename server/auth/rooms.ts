/**
 * Every authenticated socket joins a room named after its credential, so revoking a token or
 * ending a session disconnects its sockets at once, through the adapter, on every process.
 */
import type { Server } from 'socket.io';
import { DISPATCH_NAMESPACE } from '../../shared/dispatch.js';
import { INGEST_NAMESPACE } from '../../shared/ingest.js';
import { LIVE_NAMESPACE } from '../../shared/live.js';
import { sessionKey } from './sessions.js';

export const tokenRoom = (id: string): string => `auth:token:${id}`;
/** Named by a hash: room names may travel to other processes; session ids must not. */
export const sessionRoomOfKey = (key: string): string => `auth:session:${key}`;
export const sessionRoom = (sessionId: string): string => sessionRoomOfKey(sessionKey(sessionId));

export function disconnectRoom(io: Server, room: string): void {
  for (const ns of [LIVE_NAMESPACE, INGEST_NAMESPACE, DISPATCH_NAMESPACE]) io.of(ns).in(room).disconnectSockets(true);
}
