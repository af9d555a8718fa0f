/**
 * `/track`: a citizen's tracking page, live. The handshake's `auth.token` is the tracking token (a
 * socket handshake reaches no access log); an unknown, malformed or guessed one is refused with
 * TRACK_NOT_FOUND, audited. An admitted socket joins its order's room and gets `track:order` on
 * connect and at every change the dispatch service pushes. It listens only: it sends nothing.
 * Handshakes are limited per address like the page's reads (each one looks a token up).
 */
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Namespace } from 'socket.io';
import type { TrackClientToServer, TrackServerToClient } from '../../shared/public.js';
import type { CitizenDesk } from '../public/desk.js';

export type TrackNamespace = Namespace<TrackClientToServer, TrackServerToClient>;

const roomOf = (orderId: string) => `order:${orderId}`;

const refusal = (code: string, message: string) => Object.assign(new Error(message), { data: { code } });

export function serveTrack(
  ns: TrackNamespace,
  desk: CitizenDesk,
  /** Handshakes one address may try a minute (each looks a token up), as the tracking page's reads. */
  perMinute: number,
  refused: (ip: string, code: string) => void,
  onError: (error: unknown) => void,
): { push: (orderId: string) => void } {
  const attempts = new RateLimiterMemory({ keyPrefix: 'track-handshake', points: perMinute, duration: 60 });
  ns.use((socket, next) => {
    const ip = socket.handshake.address;
    attempts.consume(ip).then(
      () => next(),
      () => {
        refused(ip, 'REQ_RATE_LIMITED');
        next(refusal('REQ_RATE_LIMITED', 'too many tracking handshakes; retry in a minute'));
      },
    );
  });
  ns.use((socket, next) => {
    const token = (socket.handshake.auth as Record<string, unknown>)['token'];
    desk.orderOfToken(token).then(
      (orderId) => {
        if (orderId === null) {
          refused(socket.handshake.address, 'TRACK_NOT_FOUND');
          next(refusal('TRACK_NOT_FOUND', 'no order for this tracking link'));
          return;
        }
        socket.data = { orderId };
        next();
      },
      (error: unknown) => {
        onError(error);
        next(refusal('STORE_UNAVAILABLE', 'unavailable'));
      },
    );
  });

  const push = (orderId: string) => {
    if (!ns.adapter.rooms.get(roomOf(orderId))?.size) return;
    desk.view(orderId).then((view) => view && ns.to(roomOf(orderId)).emit('track:order', view), onError);
  };

  ns.on('connection', (socket) => {
    const { orderId } = socket.data as { orderId: string };
    void socket.join(roomOf(orderId));
    desk.view(orderId).then((view) => view && socket.emit('track:order', view), onError);
  });
  return { push };
}
