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
  /** Registers a screen watching `room`; `snapshot` re-bases it after it lagged. */
  add(socket: LiveSocket, room: string, snapshot: () => LiveSnapshot | null): void;
  /** Sends a frame to the screens of `room` that keep up. */
  send(room: string, tick: LiveTick): void;
  /** Screens currently skipped for lagging (for /metrics). */
  readonly lagging: number;
  /** When this screen was last sent a frame (its snapshot or a tick), epoch ms; undefined before. */
  lastFrameAt(socketId: string): number | undefined;
}

export function createFanout(ns: LiveNamespace, maxInFlight = 32, now = Date.now): Fanout {
  const inFlight = new Map<string, number>();
  // The admin console's "age of the last frame": a lagging screen's age grows while it is skipped.
  const lastFrame = new Map<string, number>();
  const rooms = new Map<string, Set<string>>();
  const lagging = new Set<string>();

  return {
    add(socket, room, snapshot) {
      inFlight.set(socket.id, 0);
      // The caller sends the first snapshot right after registering.
      lastFrame.set(socket.id, now());
      void socket.join(room);
      rooms.set(room, (rooms.get(room) ?? new Set()).add(socket.id));
      // engine.io emits 'drain' when everything queued for the transport has been written.
      socket.conn.on('drain', () => {
        inFlight.set(socket.id, 0);
        const fresh = lagging.delete(socket.id) ? snapshot() : null;
        if (!fresh) return;
        lastFrame.set(socket.id, now());
        socket.emit('live:snapshot', fresh);
      });
      socket.on('disconnect', () => {
        inFlight.delete(socket.id);
        lastFrame.delete(socket.id);
        lagging.delete(socket.id);
        rooms.get(room)?.delete(socket.id);
      });
    },
    send(room, tick) {
      const members = rooms.get(room);
      if (!members || members.size === 0) return;
      const skip: string[] = [];
      const at = now();
      for (const id of members) {
        const count = inFlight.get(id) ?? 0;
        if (!lagging.has(id) && count >= maxInFlight) lagging.add(id);
        if (lagging.has(id)) skip.push(id);
        else {
          inFlight.set(id, count + 1);
          lastFrame.set(id, at);
        }
      }
      // Local: with several nodes each one sends its own screens their frames (hub.ts).
      ns.local.to(room).except(skip).emit('live:tick', tick);
    },
    get lagging() {
      return lagging.size;
    },
    lastFrameAt: (socketId) => lastFrame.get(socketId),
  };
}
