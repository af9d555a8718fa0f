import { createAdapter } from '@socket.io/redis-streams-adapter';
import fp from 'fastify-plugin';
import { Server, type Namespace } from 'socket.io';
import { READ_ROLES } from '../../../shared/auth.js';
import { LIVE_NAMESPACE, type LiveClientToServer, type LiveServerToClient } from '../../../shared/live.js';
import { createFanout, type Fanout } from '../../live/fanout.js';
import { LiveHub } from '../../live/hub.js';
import { redisLease } from '../../live/lease.js';
import { LivePeers } from '../../live/peers.js';
import { buildScopes } from '../../live/scope.js';
import { limitConnections } from '../../live/connection-limit.js';
import { limitSocketEvents } from '../../live/socket-rate-limit.js';
import { ReplayReader } from '../../replay/reader.js';
import { serveLive } from '../../sockets/live.js';
import { socketCors } from '../external/cors.js';

declare module 'fastify' {
  interface FastifyInstance {
    io: Server;
    hub: LiveHub;
    liveFanout: Fanout;
    /** The link to the other nodes' live pictures (several nodes), or null on one node. */
    livePeers: LivePeers | null;
  }
}

/** How often a node tells its peers it is alive (its flushed position), and when a silent one is forgotten. */
const HEARTBEAT_MS = 2_000;
const SILENT_AFTER_MS = 10_000;
/** At most one ClickHouse evaluation per scope or panel query and second, in the cluster as on one node. */
const EVALUATE_INTERVAL_MS = 1_000;

/** Socket.IO on the same HTTP server, its limits, and the live hub behind `/live` (sockets/live.ts). */
export default fp(
  async (app) => {
    const peers = app.redis && new LivePeers(app.redis, app.nodeId, app.log.child({ module: 'live-peers' }));
    const io = new Server(app.server, {
      // Several nodes: the Redis Streams adapter, not the PUB/SUB one (@socket.io/redis-adapter). It
      // keeps connection-state sessions in Redis and the broadcast packets in a stream, so a screen
      // whose node died recovers on another one with what it missed, and a node cut off from Redis
      // for a moment resumes the stream instead of losing what was sent meanwhile. Room operations
      // (`disconnectSockets` of a credential's room, socket-guard.ts) reach every node through it.
      ...(app.redis
        ? {
            adapter: createAdapter(app.redis, {
              streamName: 'wmsj:live:sio',
              channelPrefix: 'wmsj:live:sio',
              sessionKeyPrefix: 'wmsj:live:sio:session:',
              blockTimeInMs: 2_000,
            }),
          }
        : {}),
      serveClient: false,
      maxHttpBufferSize: 1_000_000,
      // A recovered socket passes every middleware again (the guard above all), as a new one does:
      // Socket.IO skips them by default, which let a socket back in after its credential ended.
      connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
      // A connection that joins no namespace (every handshake refused) is closed after this, not 45 s.
      connectTimeout: 10_000,
      ...socketCors(app.config),
    });
    app.socketGuard.recovery.install(io);
    app.socketGuard.install(io);
    limitSocketEvents(io, { points: app.config.SOCKET_EVENTS_PER_SECOND, windowS: 1, disconnectFactor: 3 });
    limitConnections(
      io,
      { perAddress: app.config.SOCKETS_PER_ADDRESS, perCredential: app.config.SOCKETS_PER_CREDENTIAL },
      (reason) => (app.refusals[reason] += 1),
    );
    const live: Namespace<LiveClientToServer, LiveServerToClient> = io.of(LIVE_NAMESPACE);
    const scopes = buildScopes(app.network);
    const fanout = createFanout(live);
    // The weights in force (plugins/app/evaluation.ts): the object is the service's, so a saved version counts at once.
    const queryConfig = app.weights.queryConfig;
    const hub = new LiveHub(app.store, {
      tickMs: app.config.TICK_MS,
      scopes,
      nodeNames: app.nodeNames,
      log: app.log.child({ module: 'hub' }),
      broadcast: (scope, tick) => fanout.send(`scope:${scope}`, tick),
      // Local: every node sends its own screens their frames and updates (see hub.ts, several nodes).
      publish: (key, update) => live.local.to(`query:${key}`).emit('live:query', update),
      queryConfig,
      ...(peers && app.redis
        ? {
            origin: peers.origin,
            share: (message) => peers.publish(message),
            lease: redisLease(app.redis, peers.origin, EVALUATE_INTERVAL_MS, app.log.child({ module: 'live-lease' })),
            minEvaluateIntervalMs: EVALUATE_INTERVAL_MS,
          }
        : {}),
    });
    // 回放 scores with the weights in force at the replayed minute, not the ones in force now.
    const replay = new ReplayReader(
      app.store,
      (at) => app.weights.at(at),
      (id) => app.nodeNames.get(id) ?? id,
    );
    // Every payload on /live is masked (see live/feed.ts), so all reading roles share one frame.
    live.use(app.socketGuard.middleware(READ_ROLES));
    serveLive(live, { hub, fanout, scopes, replay });
    app.decorate('io', io);
    app.decorate('hub', hub);
    app.decorate('liveFanout', fanout);
    app.decorate('livePeers', peers);
    let heartbeat: NodeJS.Timeout | null = null;
    if (peers) {
      peers.on((origin, message) => {
        switch (message.kind) {
          case 'accepted':
            return hub.onAccepted(message.events, message.position, origin);
          case 'flushed':
            return hub.onFlushed(message.position, origin);
          case 'announce':
            return hub.announce(message.item, true);
          case 'view':
            return hub.adoptView(message.scope, { covers: message.covers, kpi: message.kpi, trend: message.trend });
          case 'query':
            return hub.adoptQuery(message.covers, message.update);
          case 'emergency': // dashboards' (plugins/app/dashboards.ts)
          case 'dispatch': // dispatch's (plugins/app/dispatch.ts)
            return;
        }
      });
    }
    app.addHook('onReady', async () => {
      await hub.start();
      if (!peers) return;
      await peers.start();
      heartbeat = setInterval(() => {
        hub.heartbeat();
        for (const origin of peers.silentSince(Date.now() - SILENT_AFTER_MS)) hub.forget(origin);
      }, HEARTBEAT_MS);
    });
    app.addHook('onClose', async () => {
      if (heartbeat) clearInterval(heartbeat);
      await peers?.stop();
      // Fastify has already closed the HTTP server io shares; only the engine is left to end.
      await io.close().catch(() => undefined);
    });
  },
  { name: 'live', dependencies: ['network', 'auth', 'evaluation'] },
);
