import fp from 'fastify-plugin';
import { countByLevel, type Network } from '../../../shared/network.js';
import { backfill } from '../../../seed/backfill.js';
import { withStoredFacts } from '../../../seed/counties.js';
import { generateNetwork } from '../../../seed/network.js';
import { loadNetwork, saveNetwork } from '../../store/network-repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    network: Network;
    /** node id → its 所 id ('' for the center). */
    nodeInstitute: ReadonlyMap<string, string>;
    nodeNames: ReadonlyMap<string, string>;
  }
}

/** Loads the county's network; an empty store is seeded first (network + a year of history). */
export default fp(
  async (app) => {
    let network = await loadNetwork(app.store);
    if (!network) {
      const started = Date.now();
      const generated = generateNetwork(app.config.NETWORK, app.config.SEED);
      await saveNetwork(app.store, generated);
      app.log.info({ nodes: countByLevel(generated.nodes) }, 'seeded network');
      if (app.config.BACKFILL_SCALE > 0) {
        let lastLogged = 0;
        const report = await backfill(app.store, generated, {
          seed: app.config.SEED,
          scale: app.config.BACKFILL_SCALE,
          now: Date.now(),
          onProgress: (label, done, total) => {
            if (Date.now() - lastLogged < 2_000 && done < total) return;
            lastLogged = Date.now();
            app.log.info({ step: label, done, total }, 'backfilling history');
          },
        });
        app.log.info({ rows: report.rows, ms: report.ms, totalMs: Date.now() - started }, 'backfilled history');
      }
      network = await loadNetwork(app.store);
      if (!network) throw new Error('network could not be read back after seeding');
    }
    network = { ...network, county: withStoredFacts(network.county) };
    app.decorate('network', network);
    app.decorate('nodeInstitute', new Map(network.nodes.map((n) => [n.id, n.instituteId ?? ''])));
    app.decorate('nodeNames', new Map(network.nodes.map((n) => [n.id, n.name])));
  },
  { name: 'network', dependencies: ['clickhouse'] },
);
