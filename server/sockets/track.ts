/**
 * `/track`: a citizen's tracking page, live. The handshake's `auth.token` is the tracking token (a
 * socket handshake reaches no access log); an unknown, malformed or guessed one is refused with
 * TRACK_NOT_FOUND, audited. An admitted socket joins its order's room and gets `track:order` on
 * connect and at every change the dispatch service pushes. It listens only: it sends nothing.
 */
import type { Namespace } from 'socket.io';
import type { TrackClientToServer, TrackServerToClient } from '../../shared/public.js';
import type { CitizenDesk } from '../public/desk.js';

export type TrackNamespace = Namespace<TrackClientToServer, TrackServerToClient>;

const roomOf = (orderId: string) => `order:${orderId}`;

export function serveTrack(
  ns: TrackNamespace,
  desk: CitizenDesk,
  refused: (ip: string) => void,
  onError: (error: unknown) => void,
): { push: (orderId: string) => void } {
  ns.use((socket, next) => {
    const token = (socket.handshake.auth as Record<string, unknown>)['token'];
    desk.orderOfToken(token).then(
      (orderId) => {
        if (orderId === null) {
          refused(socket.handshake.address);
          next(Object.assign(new Error('no order for this tracking link'), { data: { code: 'TRACK_NOT_FOUND' } }));
          return;
        }
        socket.data = { orderId };
        next();
      },
      (error: unknown) => {
        onError(error);
        next(Object.assign(new Error('unavailable'), { data: { code: 'STORE_UNAVAILABLE' } }));
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
