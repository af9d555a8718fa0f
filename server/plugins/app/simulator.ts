import fp from 'fastify-plugin';
import { createSimulator } from '../../../seed/simulator.js';

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
    const simulator = createSimulator({
      network: app.network,
      rate: app.config.SIMULATOR_RATE,
      seed: app.config.SEED,
      emit: async (events) => {
        await app.ingest.submit(events).catch((error: unknown) => {
          app.log.warn({ err: error }, 'simulator batch refused');
        });
      },
    });
    app.decorate('simulator', simulator);
    app.addHook('onReady', async () => {
      simulator.start();
    });
  },
  { name: 'simulator', dependencies: ['ingest'] },
);
