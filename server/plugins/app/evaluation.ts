import fp from 'fastify-plugin';
import { loadEvaluationConfig } from '../../config.js';
import { WeightsService } from '../../reports/weights.js';
import { localClaims, redisClaims } from '../../reports/weights-claims.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** 一月一评估's weights in force and their versions (issue 17.5). */
    weights: WeightsService;
  }
}

/** On several nodes another node may save a version: each reads the versions again this often. */
const RELOAD_MS = 30_000;

/**
 * The evaluation weights: version 0 is EVALUATION_FILE's (or the defaults), later ones are saved by
 * an admin into the store (migration 012). Registered before the live hub, which scores with them.
 */
export default fp(
  async (app) => {
    const weights = new WeightsService(
      app.store,
      loadEvaluationConfig(app.config.EVALUATION_FILE),
      () => {
        // The ranking on the walls changes with the weights, with no event arriving.
        if (app.hasDecorator('hub')) app.hub.queries.invalidate('evaluation');
      },
      // Several nodes could take the same version number at the same instant: it is won in Redis.
      app.redis ? redisClaims(app.redis) : localClaims,
    );
    await weights.load();
    app.decorate('weights', weights);
    if (app.redis) {
      const timer = setInterval(() => {
        weights.load().catch((error: unknown) => app.log.warn({ err: error }, 'evaluation weights reload failed'));
      }, RELOAD_MS);
      timer.unref();
      app.addHook('onClose', async () => clearInterval(timer));
    }
  },
  { name: 'evaluation', dependencies: ['clickhouse', 'redis'] },
);
