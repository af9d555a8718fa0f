/**
 * Sends each hub frame to every screen with one encoding (a socket.io broadcast), except screens
 * whose connection is not keeping up. A slow screen never slows the others and never piles up an
 * unbounded queue: after `maxInFlight` frames without its transport draining, it is skipped; once
 * it drains, it gets a fresh snapshot (a new sequence base) instead of the frames it missed.
 */
import type { Namespace, Socket } from 'socket.io';
import type { LiveClientToServer, LiveServerToClient, LiveSnapshot, LiveTick } from '../../shared/live.js';

type LiveNamespace = Namespace<LiveClientToServer, LiveServerToClient>;
type LiveSocket = Socket<LiveClientToServer, LiveServerToClient>;

export interface Fanout {
  /** Registers a new screen (call on connection). */
  add(socket: LiveSocket): void;
  send(tick: LiveTick): void;
  /** Screens currently skipped for lagging (for /metrics). */
  readonly lagging: number;
}

export function createFanout(ns: LiveNamespace, snapshot: () => LiveSnapshot, maxInFlight = 32): Fanout {
  const inFlight = new Map<string, number>();
  const lagging = new Set<string>();

  return {
    add(socket) {
      inFlight.set(socket.id, 0);
      // engine.io emits 'drain' when everything queued for the transport has been written.
      socket.conn.on('drain', () => {
        inFlight.set(socket.id, 0);
        if (lagging.delete(socket.id)) socket.emit('live:snapshot', snapshot());
      });
      socket.on('disconnect', () => {
        inFlight.delete(socket.id);
        lagging.delete(socket.id);
      });
    },
    send(tick) {
      for (const [id, count] of inFlight) {
        if (lagging.has(id)) continue;
        if (count >= maxInFlight) lagging.add(id);
        else inFlight.set(id, count + 1);
      }
      (lagging.size > 0 ? ns.except([...lagging]) : ns).emit('live:tick', tick);
    },
    get lagging() {
      return lagging.size;
    },
  };
}
