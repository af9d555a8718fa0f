/**
 * The dispatch console's socket namespace `/dispatch`: every payload checked against the contract
 * (shared/dispatch.ts), commands and reads answered by the service, its pushes numbered per room.
 * One room per town and one for the district: a town's dispatcher only receives its share.
 *
 * Several nodes: orders, volunteers, offers and presence are sent by each node to its own sockets
 * (`local`), since every node follows every other's changes (dispatch/changes.ts) and numbers its
 * rooms' pushes itself; a note is sent once by the node it was written at, through the Socket.IO
 * adapter, which carries it to the rooms' sockets on every node.
 */
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { Namespace, Socket } from 'socket.io';
import { Compile } from 'typebox/compile';
import { DISTRICT, type Principal } from '../../shared/auth.js';
import {
  DispatchCode,
  NoteBodySchema,
  OrderCommandSchema,
  OrderRequestSchema,
  type DispatchClientToServer,
  type DispatchServerToClient,
  type DispatchSnapshot,
} from '../../shared/dispatch.js';
import { fail, ok } from '../../shared/result.js';
import type { SocketAuth } from '../auth/rooms.js';
import type { DispatchService } from '../dispatch/service.js';
import { RoomSequence } from './room-sequence.js';
import { Viewers } from './viewers.js';

type DispatchNamespace = Namespace<DispatchClientToServer, DispatchServerToClient>;
type DispatchSocket = Socket<DispatchClientToServer, DispatchServerToClient>;

const commandCheck = Compile(OrderCommandSchema);
const requestCheck = Compile(OrderRequestSchema);
const noteCheck = Compile(NoteBodySchema);

const roomOf = (scope: string): string => (scope === DISTRICT ? 'dispatch:district' : `dispatch:town:${scope}`);
/** The district's room and those of the towns named (activities nudge the same rooms). */
export const dispatchRoomsFor = (...towns: string[]): string[] => [
  roomOf(DISTRICT),
  ...new Set(towns.filter((t) => t !== '').map(roomOf)),
];
const principalOf = (socket: DispatchSocket): Principal => (socket.data as SocketAuth).principal;
const invalid = (what: string) => fail(DispatchCode.invalid, `${what} does not match the dispatch contract`);

/** Serves `/dispatch` (its guard is already installed); answers the unsubscribe from the service's pushes. */
export function serveDispatch(ns: DispatchNamespace, service: DispatchService, log: Logger): () => void {
  const seqs = new RoomSequence();
  const viewers = new Viewers();
  const unsubscribe = service.subscribe({
    order(order, previous) {
      for (const room of dispatchRoomsFor(order.instituteId, previous))
        ns.local.to(room).emit('dispatch:order', { seq: seqs.next(room), order });
    },
    volunteer(volunteer) {
      const towns = volunteer.orderIds.map((id) => service.townOf(id));
      for (const room of dispatchRoomsFor(volunteer.instituteId, ...towns))
        ns.local.to(room).emit('dispatch:volunteer', { seq: seqs.next(room), volunteer });
    },
    // Not numbered: an offer is no part of the board a resync rebuilds (GET …/orders/:id/offers is).
    offer(offer, town) {
      for (const room of dispatchRoomsFor(town)) ns.local.to(room).emit('dispatch:offer', offer);
    },
    peerViewing(origin, orderId, list) {
      viewers.setPeer(origin, orderId, list);
      announce(orderId);
    },
    presenceAsked() {
      for (const orderId of viewers.viewedHere()) service.sharePresence(orderId, viewers.here(orderId));
    },
    peerGone(origin) {
      for (const orderId of viewers.forgetPeer(origin)) announce(orderId);
    },
  });
  function announce(orderId: string): void {
    for (const room of dispatchRoomsFor(service.townOf(orderId)))
      ns.local.to(room).emit('dispatch:viewing', { orderId, viewers: viewers.of(orderId) });
  }
  /** This node's viewers of the order changed: its sockets are told, and the other nodes. */
  const changed = (orderId: string): void => {
    announce(orderId);
    service.sharePresence(orderId, viewers.here(orderId));
  };
  const snapshot = (scope: string): DispatchSnapshot => {
    const orders = service.openOrders(scope);
    const ids = new Set(orders.map((o) => o.id));
    return {
      seq: seqs.current(roomOf(scope)),
      at: service.now(),
      orders,
      volunteers: service.busyVolunteers(scope),
      viewing: viewers
        .viewed()
        .filter((id) => ids.has(id))
        .map((orderId) => ({ orderId, viewers: viewers.of(orderId) })),
    };
  };

  ns.on('connection', (socket) => {
    const principal = principalOf(socket);
    void socket.join(roomOf(principal.scope));
    socket.emit('dispatch:snapshot', snapshot(principal.scope));
    socket.on('dispatch:resync', (ack) => {
      if (typeof ack === 'function') ack(ok(snapshot(principal.scope)));
    });
    socket.on('dispatch:command', (body, ack) => {
      if (typeof ack !== 'function') return;
      if (!commandCheck.Check(body)) return ack(invalid('command'));
      void service.command(principal, body).then(ack);
    });
    socket.on('dispatch:request', (body, ack) => {
      if (typeof ack !== 'function') return;
      if (!requestCheck.Check(body)) return ack(invalid('request'));
      void service.request(principal, body).then(ack);
    });
    socket.on('dispatch:note', (body, ack) => {
      if (typeof ack !== 'function') return;
      if (!noteCheck.Check(body)) return ack(invalid('note'));
      const answer = service.note(principal, body);
      if (answer.ok) {
        for (const room of dispatchRoomsFor(service.townOf(body.orderId)))
          ns.to(room).emit('dispatch:note', answer.data);
      }
      ack(answer);
    });
    socket.on('dispatch:candidates', (query, ack) => {
      if (typeof ack !== 'function') return;
      const q = query as { orderId?: unknown; limit?: unknown } | null;
      if (typeof q?.orderId !== 'string') return ack(invalid('query'));
      const limit = typeof q.limit === 'number' && Number.isInteger(q.limit) ? Math.min(100, Math.max(1, q.limit)) : 20;
      service.candidates(principal, q.orderId, limit).then(ack, (error: unknown) => {
        log.error({ err: error }, 'candidates failed');
        ack(fail(DispatchCode.internal, 'internal error'));
      });
    });
    socket.on('dispatch:view', (orderId) => {
      const open =
        typeof orderId === 'string' && service.visible(principal, orderId)
          ? { orderId, viewer: { id: principal.id, name: principal.name } }
          : null;
      for (const id of viewers.set(socket.id, open)) changed(id);
    });
    socket.on('disconnect', () => {
      for (const id of viewers.set(socket.id, null)) changed(id);
    });
  });
  return unsubscribe;
}
