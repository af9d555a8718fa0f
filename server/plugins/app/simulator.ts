import fp from 'fastify-plugin';
import { createSimulator } from '../../../seed/simulator.js';
import { countVolunteers } from '../../store/network-repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    simulator: { stop(): Promise<void> } | null;
  }
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
    const simulator = createSimulator({
      network: app.network,
      rate: app.config.SIMULATOR_RATE,
      seed: app.config.SEED,
      ...(registered > 0 ? { volunteers: registered } : {}),
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
  { name: 'simulator', dependencies: ['ingest'] },
);
