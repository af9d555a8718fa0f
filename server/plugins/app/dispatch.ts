import fp from 'fastify-plugin';
import type { Namespace, Socket } from 'socket.io';
import { Compile } from 'typebox/compile';
import { DISTRICT, Role, type Principal } from '../../../shared/auth.js';
import {
  DISPATCH_NAMESPACE,
  NoteBodySchema,
  OrderCommandSchema,
  OrderRequestSchema,
  type DispatchClientToServer,
  type DispatchServerToClient,
  type DispatchSnapshot,
  type Viewer,
} from '../../../shared/dispatch.js';
import { fail, ok } from '../../../shared/result.js';
import type { SocketAuth } from '../../auth/rooms.js';
import { startEscalation, sweep } from '../../dispatch/escalation.js';
import { busyVolunteers, candidates, note, openOrders } from '../../dispatch/queries.js';
import { DispatchService } from '../../dispatch/service.js';
import { EventSource } from '../../ingest/validate.js';

declare module 'fastify' {
  interface FastifyInstance {
    dispatch: DispatchService;
    /** Stops the SLA timer, lets commands in flight finish and writes the audit: before ingest closes. */
    stopDispatch: () => Promise<void>;
  }
}

export const DISPATCH_ROLES = [Role.dispatcher, Role.admin] as const;
const commandCheck = Compile(OrderCommandSchema);
const requestCheck = Compile(OrderRequestSchema);
const noteCheck = Compile(NoteBodySchema);

type DispatchSocket = Socket<DispatchClientToServer, DispatchServerToClient>;
/** One room per town and one for the district: a town's dispatcher only receives its share. */
const roomOf = (scope: string): string => (scope === DISTRICT ? 'dispatch:district' : `dispatch:town:${scope}`);
const principalOf = (socket: DispatchSocket): Principal => (socket.data as SocketAuth).principal;
const invalid = (what: string) => fail('REQ_VALIDATION', `${what} does not match the dispatch contract`);

/** The dispatch console's socket namespace `/dispatch` and the service behind it and the REST routes. */
export default fp(
  async (app) => {
    const service = new DispatchService({
      store: app.store,
      nodes: new Map(app.network.nodes.map((n) => [n.id, n])),
      submit: (events) => app.ingest.submit(events, EventSource.dispatch),
      blockDoubleBooking: app.config.DISPATCH_BLOCK_DOUBLE_BOOKING,
      dataDir: app.config.DATA_DIR,
      log: app.log.child({ module: 'dispatch' }),
    });
    // After a crash the write-ahead log's tail is replayed into ClickHouse by ingest; the orders
    // are rebuilt from ClickHouse, so wait for that tail first (bounded: the start must go on).
    for (const until = Date.now() + 8_000; app.ingest.status().pending > 0 && Date.now() < until;) {
      await new Promise((r) => setTimeout(r, 50));
    }
    if (app.ingest.status().pending > 0) app.log.warn('dispatch starts before the replayed log reached ClickHouse');
    await service.start();
    const ns: Namespace<DispatchClientToServer, DispatchServerToClient> = app.io.of(DISPATCH_NAMESPACE);
    ns.use(app.socketGuard.middleware(DISPATCH_ROLES));

    const seqs = new Map<string, number>();
    const next = (room: string): number => {
      const seq = (seqs.get(room) ?? 0) + 1;
      seqs.set(room, seq);
      return seq;
    };
    const roomsFor = (...towns: string[]): string[] => [
      roomOf(DISTRICT),
      ...new Set(towns.filter((t) => t !== '').map(roomOf)),
    ];
    service.listeners.add({
      order(order, previous) {
        for (const room of roomsFor(order.instituteId, previous))
          ns.to(room).emit('dispatch:order', { seq: next(room), order });
      },
      volunteer(volunteer) {
        const towns = volunteer.orderIds.map((id) => service.projection.orders.get(id)?.instituteId ?? '');
        for (const room of roomsFor(volunteer.instituteId, ...towns))
          ns.to(room).emit('dispatch:volunteer', { seq: next(room), volunteer });
      },
    });

    // Presence ("XX 正在处理"): which order each socket has open.
    const viewing = new Map<string, { orderId: string; viewer: Viewer }>();
    const viewersOf = (orderId: string): Viewer[] => {
      const seen = new Map<string, Viewer>();
      for (const v of viewing.values()) if (v.orderId === orderId) seen.set(v.viewer.id, v.viewer);
      return [...seen.values()];
    };
    const announce = (orderId: string): void => {
      const town = service.projection.orders.get(orderId)?.instituteId ?? '';
      for (const room of roomsFor(town)) ns.to(room).emit('dispatch:viewing', { orderId, viewers: viewersOf(orderId) });
    };
    const snapshot = (scope: string): DispatchSnapshot => {
      const orders = openOrders(service, scope);
      const ids = new Set(orders.map((o) => o.id));
      return {
        seq: seqs.get(roomOf(scope)) ?? 0,
        at: service.now(),
        orders,
        volunteers: busyVolunteers(service, scope),
        viewing: [...new Set([...viewing.values()].map((v) => v.orderId))]
          .filter((id) => ids.has(id))
          .map((orderId) => ({ orderId, viewers: viewersOf(orderId) })),
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
        const answer = note(service, principal, body);
        if (answer.ok) {
          const town = service.projection.orders.get(body.orderId)?.instituteId ?? '';
          for (const room of roomsFor(town)) ns.to(room).emit('dispatch:note', answer.data);
        }
        ack(answer);
      });
      socket.on('dispatch:candidates', (query, ack) => {
        if (typeof ack !== 'function') return;
        const q = query as { orderId?: unknown; limit?: unknown } | null;
        if (typeof q?.orderId !== 'string') return ack(invalid('query'));
        const limit =
          typeof q.limit === 'number' && Number.isInteger(q.limit) ? Math.min(100, Math.max(1, q.limit)) : 20;
        candidates(service, principal, q.orderId, limit).then(ack, (error: unknown) => {
          app.log.error({ err: error }, 'candidates failed');
          ack(fail('INTERNAL', 'internal error'));
        });
      });
      socket.on('dispatch:view', (orderId) => {
        const before = viewing.get(socket.id)?.orderId;
        const order = typeof orderId === 'string' ? service.projection.orders.get(orderId) : undefined;
        if (order && service.visible(principal, order)) {
          viewing.set(socket.id, { orderId: order.id, viewer: { id: principal.id, name: principal.name } });
        } else viewing.delete(socket.id);
        if (before !== undefined) announce(before);
        if (order && before !== order.id) announce(order.id);
      });
      socket.on('disconnect', () => {
        const before = viewing.get(socket.id)?.orderId;
        viewing.delete(socket.id);
        if (before !== undefined) announce(before);
      });
    });

    // Catch up on what fell due while the server was down before serving, so the first minutes
    // after a start do not bring a burst of system moves.
    if (app.config.DISPATCH_AUTO_ESCALATE) {
      const moved = await sweep(service);
      if (moved > 0) app.log.info({ moved }, 'overdue orders escalated or expired at start');
    }
    const stopTimer = app.config.DISPATCH_AUTO_ESCALATE
      ? startEscalation(service, 5_000, (error) => app.log.warn({ err: error }, 'escalation sweep failed'))
      : async () => undefined;
    app.decorate('dispatch', service);
    app.decorate('stopDispatch', async () => {
      await stopTimer();
      await service.close();
    });
  },
  { name: 'dispatch', dependencies: ['ingest', 'live', 'auth', 'network'] },
);
