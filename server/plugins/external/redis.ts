import { hostname } from 'node:os';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';

declare module 'fastify' {
  interface FastifyInstance {
    /** The Redis several nodes share (REDIS_URL); null on a single node, which keeps that state itself. */
    redis: Redis | null;
    /** This node's name among its peers (NODE_ID, or host name and port). */
    nodeId: string;
  }
}

/**
 * One ioredis connection for commands, opened before the features that keep state in it. A plugin
 * that needs a connection of its own (a subscriber, a blocking read) duplicates this one.
 */
export default fp(
  async (app) => {
    const nodeId = app.config.NODE_ID || `${hostname()}-${app.config.PORT}`;
    app.decorate('nodeId', nodeId);
    if (app.config.REDIS_URL === '') {
      app.decorate('redis', null);
      return;
    }
    // The URL may carry a password: ioredis is given it, the log only ever the node's name.
    const redis = new Redis(app.config.REDIS_URL, { connectionName: `wmsj:${nodeId}`, lazyConnect: true });
    redis.on('error', (error: Error) => app.log.warn({ err: { message: error.message } }, 'redis: connection error'));
    await redis.connect();
    app.decorate('redis', redis);
    app.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
  },
  { name: 'redis', dependencies: ['config'] },
);
