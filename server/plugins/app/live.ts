import fp from 'fastify-plugin';
import { Server, type Namespace } from 'socket.io';
import { LIVE_NAMESPACE, type LiveClientToServer, type LiveServerToClient } from '../../../shared/live.js';
import { ok } from '../../../shared/result.js';
import { LiveHub } from '../../live/hub.js';

declare module 'fastify' {
  interface FastifyInstance {
    io: Server;
    hub: LiveHub;
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
    const hub = new LiveHub(app.store, {
      tickMs: app.config.TICK_MS,
      nodeNames: app.nodeNames,
      log: app.log.child({ module: 'hub' }),
      broadcast: (tick) => live.emit('live:tick', tick),
    });
    live.on('connection', (socket) => {
      socket.emit('live:snapshot', hub.snapshot());
      socket.on('live:resync', (ack) => {
        if (typeof ack === 'function') ack(ok(hub.snapshot()));
      });
    });
    app.decorate('io', io);
    app.decorate('hub', hub);
    app.addHook('onReady', async () => {
      await hub.start();
    });
    app.addHook('onClose', async () => {
      // Fastify has already closed the HTTP server io shares; only the engine is left to end.
      await io.close().catch(() => undefined);
    });
  },
  { name: 'live', dependencies: ['network'] },
);
