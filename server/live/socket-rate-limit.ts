/**
 * Per-socket event rate limits on every Socket.IO namespace, present and future (a namespace
 * created later is hooked through `new_namespace`). Counting is rate-limiter-flexible's in-memory
 * fixed window, keyed by socket id, so one flooding socket never touches another's budget.
 *
 * Over the limit, an event is not handled: if it carries an ack, the ack answers
 * `SOCKET_RATE_LIMITED`; a socket that keeps going to `disconnectFactor` times the limit within one
 * window is disconnected (a client that ignores refusals is not worth the event loop).
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Namespace, Server } from 'socket.io';
import { fail } from '../../shared/result.js';
import { Errors } from '../errors.js';

export interface SocketRateLimit {
  /** Events one socket may send per window. */
  points: number;
  windowS: number;
  /** Disconnect once a socket has sent this many times `points` in one window. */
  disconnectFactor: number;
  onLimited?: (info: { namespace: string; socketId: string; disconnected: boolean }) => void;
}

export function limitSocketEvents(io: Server, limit: SocketRateLimit): void {
  const hook = (ns: Namespace) => {
    const limiter = new RateLimiterMemory({ keyPrefix: ns.name, points: limit.points, duration: limit.windowS });
    ns.use((socket, next) => {
      socket.use((packet, nextEvent) => {
        limiter.consume(socket.id).then(
          () => nextEvent(),
          (refusal: unknown) => {
            if (!(refusal instanceof RateLimiterRes)) {
              nextEvent(refusal instanceof Error ? refusal : new Error(String(refusal)));
              return;
            }
            const disconnected = refusal.consumedPoints >= limit.points * limit.disconnectFactor;
            limit.onLimited?.({ namespace: ns.name, socketId: socket.id, disconnected });
            const ack: unknown = packet[packet.length - 1];
            if (typeof ack === 'function') {
              const error = new Errors.SOCKET_RATE_LIMITED(Math.ceil(refusal.msBeforeNext / 1000));
              (ack as (result: unknown) => void)(fail(error.code, error.message));
            }
            if (disconnected) socket.disconnect(true);
          },
        );
      });
      next();
    });
  };
  hook(io.of('/'));
  io.on('new_namespace', hook);
}
