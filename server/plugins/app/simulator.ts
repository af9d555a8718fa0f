import fp from 'fastify-plugin';
import { createSimulator } from '../../../seed/simulator.js';

/** The live simulator feeds the same ingest path real devices use, so the demo wall is alive. */
export default fp(async (app) => {
  if (app.config.SIMULATOR_RATE <= 0) return;
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
  app.addHook('onReady', async () => {
    simulator.start();
  });
  app.addHook('preClose', async () => {
    await simulator.stop();
  });
}, { name: 'simulator', dependencies: ['ingest'] });
