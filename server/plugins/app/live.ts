import fp from 'fastify-plugin';
import { Compile } from 'typebox/compile';
import { Server, type Namespace } from 'socket.io';
import { DISTRICT, READ_ROLES } from '../../../shared/auth.js';
import { LIVE_NAMESPACE, type LiveClientToServer, type LiveServerToClient } from '../../../shared/live.js';
import { QuerySubscribeSchema } from '../../../shared/queries.js';
import { ScreenReportSchema } from '../../../shared/screens.js';
import { fail, ok } from '../../../shared/result.js';
import type { SocketAuth } from '../../auth/rooms.js';
import { Errors } from '../../errors.js';
import { createFanout, type Fanout } from '../../live/fanout.js';
import { LiveHub } from '../../live/hub.js';
import { paramsProblem } from '../../live/queries.js';
import { buildScopes } from '../../live/scope.js';
import type { ScreenData } from '../../live/screens.js';
import { limitConnections } from '../../live/connection-limit.js';
import { limitSocketEvents } from '../../live/socket-rate-limit.js';
import { socketCors } from '../external/cors.js';

/** A refused handshake reaches the client as `connect_error`; its `data.code` is the stable code. */
const withCode = (error: Error & { code: string }) => Object.assign(error, { data: { code: error.code } });
/** A refusal as an error ack. */
const failWith = (error: Error & { code: string }) => fail(error.code, error.message);

declare module 'fastify' {
  interface FastifyInstance {
    io: Server;
    hub: LiveHub;
    liveFanout: Fanout;
  }
}

/** Socket.IO on the same HTTP server; `/live` gets a snapshot on connect and one frame per tick. */
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
    });
    const checkSubscribe = Compile(QuerySubscribeSchema);
    const checkScreen = Compile(ScreenReportSchema);
    // Every payload on /live is masked (see live/feed.ts), so all reading roles share one frame.
    live.use(app.socketGuard.middleware(READ_ROLES));
    // A screen names its scope in the handshake (`auth.scope` or `?scope=I03`): a town, a station,
    // or by default its own: the district, or the town its token or account is scoped to.
    const scopeOf = (socket: {
      handshake: { auth: Record<string, unknown>; query: Record<string, unknown> };
      data: unknown;
    }) => {
      const asked = socket.handshake.auth['scope'] ?? socket.handshake.query['scope'];
      if (typeof asked === 'string' && asked !== '') return asked;
      const own = (socket.data as Partial<SocketAuth> | undefined)?.principal?.scope;
      return own && own !== DISTRICT ? own : scopes.root;
    };
    /** Why this screen may not watch `scope`, or null when it may. */
    const refusal = (socket: { data: unknown }, scope: string) => {
      const own = (socket.data as Partial<SocketAuth>).principal?.scope ?? DISTRICT;
      if (!scopes.isScope(scope)) return new Errors.LIVE_UNKNOWN_SCOPE(scope);
      if (own !== DISTRICT && !scopes.of(scope).includes(own))
        return new Errors.FORBIDDEN(`watch ${scope} outside ${own}`);
      return null;
    };
    live.use((socket, next) => {
      const refused = refusal(socket, scopeOf(socket));
      next(refused ? withCode(refused) : undefined);
    });
    live.on('connection', async (socket) => {
      const scope = scopeOf(socket);
      (socket.data as ScreenData).scope = scope;
      const snapshot = () => hub.snapshot(scope);
      socket.on('disconnect', () => hub.unwatch(scope));
      socket.on('live:resync', (ack) => {
        if (typeof ack !== 'function') return;
        const current = snapshot();
        ack(current ? ok(current) : fail('LIVE_UNKNOWN_SCOPE', `scope ${scope} is not watched`));
      });
      socket.on('live:subscribe', (request, ack) => {
        if (typeof ack !== 'function') return;
        if (!checkSubscribe.Check(request))
          return ack(failWith(new Errors.VALIDATION('expected { query, scope?, params }')));
        const target = request.scope ?? scope;
        const refused = refusal(socket, target);
        if (refused) return ack(failWith(refused));
        const problem = paramsProblem(request.query, request.params);
        if (problem) return ack(failWith(new Errors.VALIDATION(problem)));
        const params = request.params as never;
        hub.queries
          .subscribe(socket.id, request.query, target, scopes.nodesIn(target), params)
          .then(async (update) => {
            await socket.join(`query:${update.key}`);
            ack(ok(update));
          })
          .catch(() => ack(failWith(new Errors.STORE_UNAVAILABLE())));
      });
      // What the admin console lists beside the scope; a malformed report is ignored, not kept.
      socket.on('live:screen', (report) => {
        if (checkScreen.Check(report)) (socket.data as ScreenData).screen = report;
      });
      socket.on('live:unsubscribe', (key) => {
        if (typeof key !== 'string') return;
        hub.queries.unsubscribe(socket.id, key);
        void socket.leave(`query:${key}`);
      });
      socket.on('disconnect', () => hub.queries.drop(socket.id));
      await hub.watch(scope);
      const first = snapshot();
      if (!socket.connected || !first) return;
      fanout.add(socket, `scope:${scope}`, snapshot);
      socket.emit('live:snapshot', first);
    });
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
