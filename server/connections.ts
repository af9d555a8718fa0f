/**
 * Every TCP connection the server holds, so a stop can end them all. Node's `server.close()` waits
 * for each one to end, and neither Fastify's idle-connection closing nor Socket.IO reaches them
 * all: a WebSocket whose peer froze never answers the close handshake (ws waits 30 s for it), and
 * an engine.io connection that joined no namespace (a refused screen, a reconnect in flight) is no
 * socket that `disconnectSockets` sees. Those held a stop past its 10 s deadline.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface Connections {
  /** Ends every connection still open `graceMs` from now (unref'd: it never holds the process). */
  endAfter(graceMs: number): void;
  readonly size: number;
}

export function trackConnections(server: Server): Connections {
  const open = new Set<Socket>();
  // 'connection' for plain http; a TLS server emits 'secureConnection' with the TLS socket, but its
  // underlying 'connection' socket is the one whose end frees the server, so that one is tracked.
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return {
    endAfter(graceMs) {
      setTimeout(() => {
        for (const socket of open) socket.destroy();
      }, graceMs).unref();
    },
    get size() {
      return open.size;
    },
  };
}
