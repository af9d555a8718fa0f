import fp from 'fastify-plugin';
import type { Namespace } from 'socket.io';
import { DISPATCH_ROLES } from '../../../shared/auth.js';
import type { DispatchChange } from '../../dispatch/changes.js';
import {
  DISPATCH_NAMESPACE,
  type DispatchClientToServer,
  type DispatchServerToClient,
} from '../../../shared/dispatch.js';
import { startEscalation, sweep } from '../../dispatch/escalation.js';
import { redisOfferLedger } from '../../dispatch/offer-ledger.js';
import { redisVersions } from '../../dispatch/order-versions.js';
import { DispatchService } from '../../dispatch/service.js';
import { redisLease } from '../../live/lease.js';
import { EventSource } from '../../ingest/validate.js';
import { serveDispatch } from '../../sockets/dispatch.js';

/** How often the SLA timer sweeps (on one node of the cluster each time). */
const SWEEP_MS = 5_000;

declare module 'fastify' {
  interface FastifyInstance {
    dispatch: DispatchService;
    /** Stops the SLA timer, lets commands in flight finish and writes the audit: before ingest closes. */
    stopDispatch: () => Promise<void>;
  }
}

/**
 * Wires the dispatch service to ingest, the `/dispatch` socket (sockets/dispatch.ts) and the SLA
 * timer; with several nodes (REDIS_URL) to the order versions and offers in Redis and to the other
 * nodes' changes on the live peers' stream.
 */
export default fp(
  async (app) => {
    const peers = app.livePeers;
    const cluster =
      app.redis && peers
        ? {
            versions: redisVersions(app.redis),
            ledger: redisOfferLedger(app.redis),
            share: (change: DispatchChange) => peers.publish({ kind: 'dispatch', change }),
          }
        : {};
    const service = new DispatchService({
      ...cluster,
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
    // Listening before the projection loads: a change made meanwhile is adopted (it is newer) or
    // found older than what the load read. Entries flow once the stream is read (live plugin, onReady).
    peers?.on((origin, message) => {
      if (message.kind === 'dispatch') service.receive(origin, message.change);
    });
    peers?.onSilent((origin) => service.forgetPeer(origin));
    await service.start();
    app.addHook('onReady', async () => {
      // The stream is read from now on: what changed between the load and now is in Redis.
      await service.syncWithCluster();
      service.askPresence();
    });
    const ns: Namespace<DispatchClientToServer, DispatchServerToClient> = app.io.of(DISPATCH_NAMESPACE);
    ns.use(app.socketGuard.middleware(DISPATCH_ROLES));
    serveDispatch(ns, service, app.log);

    // Catch up on what fell due while the server was down before serving, so the first minutes
    // after a start do not bring a burst of system moves.
    if (app.config.DISPATCH_AUTO_ESCALATE) {
      const moved = await sweep(service);
      if (moved > 0) app.log.info({ moved }, 'overdue orders escalated or expired at start');
    }
    const lease =
      app.redis && peers && redisLease(app.redis, peers.origin, SWEEP_MS, app.log.child({ module: 'sweep' }));
    const stopTimer = app.config.DISPATCH_AUTO_ESCALATE
      ? startEscalation(
          service,
          SWEEP_MS,
          (error) => app.log.warn({ err: error }, 'escalation sweep failed'),
          lease ? () => lease.claim('dispatch-sweep') : undefined,
        )
      : async () => undefined;
    app.decorate('dispatch', service);
    app.decorate('stopDispatch', async () => {
      await stopTimer();
      await service.close();
    });
  },
  { name: 'dispatch', dependencies: ['ingest', 'live', 'auth', 'network'] },
);
