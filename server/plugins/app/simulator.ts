import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import { DISTRICT } from '../../../shared/auth.js';
import { DispatchCode, toCommandBody, type CommandAck, type OrderView } from '../../../shared/dispatch.js';
import type { OrderPort, PortAnswer } from '../../../seed/flows/orders.js';
import { createSimulator } from '../../../seed/simulator.js';
import type { DispatchActor } from '../../dispatch/service.js';
import { configuredDeviceTokens } from '../../auth/tokens.js';
import { simulatorPaths } from './simulator-paths.js';
import { latestEventAt, openAppeals, openCheckins, recentArticles } from '../../store/in-progress-repository.js';
import { countVolunteers } from '../../store/network-repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    simulator: { stop(): Promise<void> } | null;
  }
}

/**
 * The simulator acts as the district (it plays the center, the 所, the 站 and the volunteers), under
 * an id no account can hold (usernames have no colon), so no caller shares its command ids.
 */
const actor = (name: string): DispatchActor => ({
  id: 'system:simulator',
  name: name.slice(0, 64),
  role: 'admin',
  scope: DISTRICT,
});
const pick = (o: OrderView): PortAnswer => ({ state: o.state, version: o.version, assignee: o.assignee });
/** The order as it is after the command, refused or not; backpressure means "ask again later". */
function answerOf(ack: CommandAck): PortAnswer {
  if (ack.ok) return pick(ack.data.order);
  if (ack.error.code === DispatchCode.unavailable || ack.error.code === DispatchCode.sharedUnavailable) return 'retry';
  return ack.error.order ? pick(ack.error.order) : null;
}

/** The longest an appeal's steps take (seed/rhythm.ts APPEAL_STEP_MIN), with a margin: older open ones have stalled. */
const APPEALS_IN_PROGRESS_MS = 8 * 86_400_000;
/** The longest an activity runs with its check-in and check-out windows, with a margin. */
const CHECKINS_IN_PROGRESS_MS = 6 * 3_600_000;
/** Read reports follow an article for four days (seed/history/media.sql). */
const ARTICLES_READ_MS = 4 * 86_400_000;

/**
 * The live simulator plays the rest of the county through the HTTP paths real devices and phones
 * use, at the county's own rhythm by default, carrying on the appeals the history (or an earlier
 * run) left in progress.
 */
export default fp(
  async (app) => {
    const rate = app.config.SIMULATOR_RATE;
    if (rate === 0) {
      app.decorate('simulator', null);
      return;
    }
    // Live volunteers are drawn from those registered, so their ids join the volunteers table.
    const registered = await countVolunteers(app.store);
    // What the history (or the last run) left in progress, and when it stopped: the simulator carries on from there.
    const started = Date.now();
    const pendingAppeals = await openAppeals(app.store, started - APPEALS_IN_PROGRESS_MS);
    const checkins = await openCheckins(app.store, started - CHECKINS_IN_PROGRESS_MS);
    const articles = await recentArticles(app.store, started - ARTICLES_READ_MS);
    const since = await latestEventAt(app.store, started);
    // The desk's and volunteers' steps go through the dispatch service: one state machine and one
    // version count with the console; citizens' 点单 and ratings and every event take the phones'
    // and devices' HTTP paths (simulator-paths.ts).
    const desk: OrderPort = {
      request: async (r) =>
        answerOf(
          await app.dispatch.request(
            actor(r.actor),
            { commandId: randomUUID(), venueId: r.venueId, title: r.title },
            r.orderId,
          ),
        ),
      command: async (c) =>
        answerOf(
          await app.dispatch.command(
            actor(c.actor),
            toCommandBody(
              { commandId: randomUUID(), orderId: c.orderId, expectedVersion: c.expectedVersion },
              c.command,
            ),
          ),
        ),
      report: (event) => app.dispatch.report(event),
    };
    // A device like any other: the first configured device token (INGEST_TOKENS or DATA_DIR/ingest-token).
    const [device] = configuredDeviceTokens(app.config.INGEST_TOKENS, app.config.DATA_DIR);
    if (!device) throw new Error('the simulator needs a device token');
    const paths = simulatorPaths(app, device.secret);
    const simulator = createSimulator({
      network: app.network,
      ...(rate === 'county' ? {} : { rate }),
      seed: app.config.SEED,
      pendingAppeals,
      openCheckins: checkins,
      recentArticles: articles,
      since,
      ...(registered > 0 ? { volunteers: registered } : {}),
      orders: paths.orders(desk),
      emit: (events) => paths.emit(events),
      onError: (error: unknown) => app.log.warn({ err: error }, 'simulator batch refused'),
    });
    app.decorate('simulator', simulator);
    app.addHook('onReady', async () => {
      simulator.start();
    });
  },
  { name: 'simulator', dependencies: ['ingest', 'dispatch', 'public'] },
);
