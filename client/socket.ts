/**
 * The one socket of the wall: the `/live` namespace, typed by the shared contract. It does not
 * connect on import — the live store binds its handlers first, so the snapshot the server emits
 * on connect is never missed.
 */
import { io, type Socket } from 'socket.io-client';
import type { LiveClientToServer, LiveServerToClient } from '../shared/live';

export type LiveSocket = Socket<LiveServerToClient, LiveClientToServer>;

/** Same origin as the page: the server serves the wall, and Vite proxies /socket.io in dev. */
export const liveSocket: LiveSocket = io('/live', {
  autoConnect: false,
  // A wall runs for weeks: never give up, but do not hammer a restarting server either.
  reconnectionDelay: 1000,
  reconnectionDelayMax: 10_000,
});
