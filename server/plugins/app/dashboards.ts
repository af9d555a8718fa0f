import { resolve, join } from 'node:path';
import fp from 'fastify-plugin';
import type { Namespace } from 'socket.io';
import type { Dashboard } from '../../../shared/dashboard.js';
import type { EmergencyState } from '../../../shared/emergency.js';
import { LIVE_NAMESPACE, type LiveClientToServer, type LiveServerToClient } from '../../../shared/live.js';
import { EmergencyMode } from '../../dashboards/emergency.js';
import { loadDashboards, type DashboardSet } from '../../dashboards/loader.js';
import { watchDashboards } from '../../dashboards/watcher.js';

declare module 'fastify' {
  interface FastifyInstance {
    dashboards: DashboardSet;
    emergency: EmergencyMode;
    /**
     * Switches emergency mode and tells every open screen at once; `kept` runs once the switch is
     * kept (in Redis with several nodes) and before any screen is told. Redis out of reach: refused
     * with SHARED_UNAVAILABLE, nothing switched.
     */
    setEmergency(active: boolean, message: string, by: string, kept?: () => void): Promise<EmergencyState>;
  }
}

/**
 * Dashboards as data (DASHBOARDS_DIR): validated at start — an invalid file stops it, naming the
 * file and field — then watched: a valid edit is pushed to every open screen (`live:dashboard`),
 * an invalid one is logged and ignored. Emergency mode is pushed the same way (`live:mode`), and
 * every screen gets the current mode in its first frames.
 */
export default fp(
  async (app) => {
    const dir = resolve(app.config.DASHBOARDS_DIR);
    const set = loadDashboards(dir);
    app.log.info({ dir, dashboards: [...set.dashboards.keys()], playlists: set.playlists.length }, 'dashboards loaded');
    const emergency = new EmergencyMode(join(app.config.DATA_DIR, 'emergency.json'), app.redis);
    if (!(await emergency.load()))
      app.log.warn({ state: emergency.state }, 'emergency: Redis did not answer; starting on this node’s last copy');
    const live: Namespace<LiveClientToServer, LiveServerToClient> = app.io.of(LIVE_NAMESPACE);

    // Sent before the live plugin's snapshot (that one waits for the hub): a wall connecting during
    // an emergency never shows its everyday layout first.
    live.on('connection', (socket) => socket.emit('live:mode', emergency.state));

    app.decorate('dashboards', set);
    app.decorate('emergency', emergency);
    // Each node tells its own screens (`local`): with several nodes the others learn the switch
    // from the live peers' stream and tell theirs (dashboards/emergency.ts).
    app.decorate('setEmergency', async (active: boolean, message: string, by: string, kept?: () => void) => {
      const state = await emergency.set(active, message, by);
      kept?.();
      app.livePeers?.publish({ kind: 'emergency', state });
      live.local.emit('live:mode', state);
      app.log.warn({ active, by }, 'emergency mode switched');
      return state;
    });

    app.livePeers?.on((_origin, message) => {
      if (message.kind === 'emergency' && emergency.adopt(message.state)) live.local.emit('live:mode', message.state);
    });

    let stop: (() => void) | null = null;
    app.addHook('onReady', async () => {
      stop = watchDashboards({
        dir,
        set,
        log: app.log.child({ module: 'dashboards' }),
        // Each node watches its own DASHBOARDS_DIR and tells its own screens.
        onChange: (dashboard: Dashboard) => live.local.emit('live:dashboard', dashboard),
      });
    });
    app.addHook('onClose', async () => stop?.());
  },
  { name: 'dashboards', dependencies: ['live'] },
);
