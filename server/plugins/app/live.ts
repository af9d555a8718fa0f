import fp from 'fastify-plugin';
import { Server, type Namespace } from 'socket.io';
import { READ_ROLES } from '../../../shared/auth.js';
import { LIVE_NAMESPACE, type LiveClientToServer, type LiveServerToClient } from '../../../shared/live.js';
import { loadEvaluationConfig } from '../../config.js';
import { createFanout, type Fanout } from '../../live/fanout.js';
import { LiveHub } from '../../live/hub.js';
import { buildScopes } from '../../live/scope.js';
import { limitConnections } from '../../live/connection-limit.js';
import { limitSocketEvents } from '../../live/socket-rate-limit.js';
import { serveLive } from '../../sockets/live.js';
import { socketCors } from '../external/cors.js';

declare module 'fastify' {
  interface FastifyInstance {
    io: Server;
    hub: LiveHub;
    liveFanout: Fanout;
  }
}

/** Socket.IO on the same HTTP server, its limits, and the live hub behind `/live` (sockets/live.ts). */
export default fp(
  async (app) => {
    const io = new Server(app.server, {
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
    limitSocketEvents(io, { points: app.config.SOCKET_EVENTS_PER_SECOND, windowS: 1, disconnectFactor: 3 });
    limitConnections(
      io,
      { perAddress: app.config.SOCKETS_PER_ADDRESS, perCredential: app.config.SOCKETS_PER_CREDENTIAL },
      (reason) => (app.refusals[reason] += 1),
    );
    const live: Namespace<LiveClientToServer, LiveServerToClient> = io.of(LIVE_NAMESPACE);
    const scopes = buildScopes(app.network);
    const fanout = createFanout(live);
    const hub = new LiveHub(app.store, {
      tickMs: app.config.TICK_MS,
      scopes,
      nodeNames: app.nodeNames,
      log: app.log.child({ module: 'hub' }),
      broadcast: (scope, tick) => fanout.send(`scope:${scope}`, tick),
      publish: (key, update) => live.to(`query:${key}`).emit('live:query', update),
      queryConfig: { evaluation: loadEvaluationConfig(app.config.EVALUATION_FILE) },
    });
    // Every payload on /live is masked (see live/feed.ts), so all reading roles share one frame.
    live.use(app.socketGuard.middleware(READ_ROLES));
    serveLive(live, { hub, fanout, scopes });
    app.decorate('io', io);
    app.decorate('hub', hub);
    app.decorate('liveFanout', fanout);
    app.addHook('onReady', async () => {
      await hub.start();
    });
    app.addHook('onClose', async () => {
      // Fastify has already closed the HTTP server io shares; only the engine is left to end.
      await io.close().catch(() => undefined);
    });
  },
  { name: 'live', dependencies: ['network', 'auth'] },
);
