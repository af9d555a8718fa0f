/**
 * The one socket of the wall: the `/live` namespace, typed by the shared contract. It does not
 * connect on import — the live store binds its handlers first, so the snapshot the server emits
 * on connect is never missed.
 */
import { io, type Socket } from 'socket.io-client';
import type { LiveClientToServer, LiveServerToClient } from '../shared/live';
import { socketAuth } from './auth';

export type LiveSocket = Socket<LiveServerToClient, LiveClientToServer>;

/**
 * The scope a drill-down chose: a town or station id, null for the screen's own scope, undefined
 * before any drill (the kiosk URL decides).
 */
let drilledScope: string | null | undefined;

/**
 * The scope the last handshake carried. A drill made while the socket is still connecting (a
 * tablet drilling town, then back, then a station, within a second) cannot change a handshake
 * already sent: on connect the two are compared and a stale one reconnects (below).
 */
let handshakeScope: string | undefined;

/** Kiosk URL `?scope=I03` (a town) or a station id; none = the screen's own scope (district or its town). */
function kioskScope(): { scope?: string } {
  const scope = drilledScope !== undefined ? drilledScope : new URLSearchParams(window.location.search).get('scope');
  return scope ? { scope } : {};
}

/** Same origin as the page: the server serves the wall, and Vite proxies /socket.io in dev. */
export const liveSocket: LiveSocket = io('/live', {
  autoConnect: false,
  // The wall token, if this screen has one; a person's session cookie goes with the request itself.
  auth: (cb) =>
    socketAuth((data) => {
      const scope = kioskScope();
      handshakeScope = scope.scope;
      cb({ ...data, ...scope });
    }),
  // WebSocket first, long-polling only when it fails (a proxy without upgrades). A screen refused at
  // the handshake (the login page, a revoked token) then closes one socket cleanly: over polling,
  // the poll the client had in flight when it closed was now and then answered 400 "Session ID
  // unknown", a failed request in the browser (tests/e2e/network-hosts.test.ts, the login page).
  transports: ['websocket', 'polling'],
  tryAllTransports: true,
  // A wall runs for weeks: never give up, but do not hammer a restarting server either.
  reconnectionDelay: 1000,
  reconnectionDelayMax: 10_000,
});

/**
 * Follows a drill-down: the core frames (KPI, trend, feed) are per handshake scope, so the socket
 * reconnects with the new one and the server answers with a fresh snapshot. Panel subscriptions
 * are renewed on that connect by the queries store.
 */
export function setLiveScope(scope: string | null): void {
  if (drilledScope === scope) return;
  drilledScope = scope;
  if (liveSocket.connected) reconnect();
}

function reconnect(): void {
  liveSocket.disconnect();
  liveSocket.connect();
}

// Connected with a scope a drill has since replaced: the frames would be the old scope's.
liveSocket.on('connect', () => {
  if (handshakeScope !== kioskScope().scope) reconnect();
});
