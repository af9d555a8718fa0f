import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import { DISTRICT } from '../../../shared/auth.js';
import { DispatchCode, toCommandBody, type CommandAck, type OrderView } from '../../../shared/dispatch.js';
import type { OrderPort, PortAnswer } from '../../../seed/flows/orders.js';
import { createSimulator } from '../../../seed/simulator.js';
import type { DispatchActor } from '../../dispatch/service.js';
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
  if (ack.error.code === DispatchCode.unavailable) return 'retry';
  return ack.error.order ? pick(ack.error.order) : null;
}

/** The live simulator feeds the same ingest path real devices use, so the demo wall is alive. */
export default fp(
  async (app) => {
    if (app.config.SIMULATOR_RATE <= 0) {
      app.decorate('simulator', null);
      return;
    }
    // Live volunteers are drawn from those registered, so their ids join the volunteers table.
    const registered = await countVolunteers(app.store);
    // Orders go through the dispatch service: one state machine and one version count with the console.
    const orders: OrderPort = {
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
    const simulator = createSimulator({
      network: app.network,
      rate: app.config.SIMULATOR_RATE,
      seed: app.config.SEED,
      ...(registered > 0 ? { volunteers: registered } : {}),
      orders,
      emit: async (events) => {
        await app.ingest.submit(events);
      },
      onError: (error: unknown) => app.log.warn({ err: error }, 'simulator batch refused'),
    });
    app.decorate('simulator', simulator);
    app.addHook('onReady', async () => {
      simulator.start();
    });
  },
  { name: 'simulator', dependencies: ['ingest', 'dispatch'] },
);
