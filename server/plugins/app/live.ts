import fp from 'fastify-plugin';
import { Server, type Namespace } from 'socket.io';
import { DISTRICT, READ_ROLES, type Principal } from '../../../shared/auth.js';
import { LIVE_NAMESPACE, type LiveClientToServer, type LiveServerToClient } from '../../../shared/live.js';
import { fail, ok } from '../../../shared/result.js';
import { Errors } from '../../errors.js';
import { createFanout, type Fanout } from '../../live/fanout.js';
import { LiveHub } from '../../live/hub.js';
import { buildScopes } from '../../live/scope.js';

/** A refused handshake reaches the client as `connect_error`; its `data.code` is the stable code. */
const withCode = (error: Error & { code: string }) => Object.assign(error, { data: { code: error.code } });

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
      connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000 },
    });
    const live: Namespace<LiveClientToServer, LiveServerToClient> = io.of(LIVE_NAMESPACE);
    const scopes = buildScopes(app.network);
    const fanout = createFanout(live);
    const hub = new LiveHub(app.store, {
      tickMs: app.config.TICK_MS,
      scopes,
      nodeNames: app.nodeNames,
      log: app.log.child({ module: 'hub' }),
      broadcast: (scope, tick) => fanout.send(`scope:${scope}`, tick),
    });
    // Every payload on /live is masked (see live/feed.ts), so all reading roles share one frame.
    live.use(app.socketGuard(READ_ROLES));
    // A screen names its scope in the handshake (`auth.scope` or `?scope=I03`): a town, a station,
    // or by default its own: the district, or the town its token or account is scoped to.
    const scopeOf = (socket: {
      handshake: { auth: Record<string, unknown>; query: Record<string, unknown> };
      data: unknown;
    }) => {
      const asked = socket.handshake.auth['scope'] ?? socket.handshake.query['scope'];
      if (typeof asked === 'string' && asked !== '') return asked;
      const own = (socket.data as { principal?: Principal } | undefined)?.principal?.scope;
      return own && own !== DISTRICT ? own : scopes.root;
    };
    live.use((socket, next) => {
      const scope = scopeOf(socket);
      const own = (socket.data as { principal?: Principal }).principal?.scope ?? DISTRICT;
      if (!scopes.isScope(scope)) next(withCode(new Errors.LIVE_UNKNOWN_SCOPE(scope)));
      else if (own !== DISTRICT && !scopes.of(scope).includes(own))
        next(withCode(new Errors.FORBIDDEN(`watch ${scope} outside ${own}`)));
      else next();
    });
    live.on('connection', async (socket) => {
      const scope = scopeOf(socket);
      const snapshot = () => hub.snapshot(scope);
      socket.on('disconnect', () => hub.unwatch(scope));
      socket.on('live:resync', (ack) => {
        if (typeof ack !== 'function') return;
        const current = snapshot();
        ack(current ? ok(current) : fail('LIVE_UNKNOWN_SCOPE', `scope ${scope} is not watched`));
      });
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
