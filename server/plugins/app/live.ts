import fp from 'fastify-plugin';
import { Server, type Namespace } from 'socket.io';
import { LIVE_NAMESPACE, type LiveClientToServer, type LiveServerToClient } from '../../../shared/live.js';
import { ok } from '../../../shared/result.js';
import { createFanout, type Fanout } from '../../live/fanout.js';
import { LiveHub } from '../../live/hub.js';

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
    const hub = new LiveHub(app.store, {
      tickMs: app.config.TICK_MS,
      nodeNames: app.nodeNames,
      log: app.log.child({ module: 'hub' }),
      broadcast: (tick) => fanout.send(tick),
    });
    const fanout = createFanout(live, () => hub.snapshot());
    live.on('connection', (socket) => {
      fanout.add(socket);
      socket.emit('live:snapshot', hub.snapshot());
      socket.on('live:resync', (ack) => {
        if (typeof ack === 'function') ack(ok(hub.snapshot()));
      });
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
  { name: 'live', dependencies: ['network'] },
);
