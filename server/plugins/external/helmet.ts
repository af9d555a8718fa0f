import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

/** Strict headers. The wall needs inline styles (Leaflet positions tiles with them) and data: images. */
export default fp(
  async (app) => {
    const tileOrigin = app.config.TILE_URL ? new URL(app.config.TILE_URL.replace(/\{[a-z]\}/g, 'a')).origin : null;
    await app.register(helmet, {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:', ...(tileOrigin ? [tileOrigin] : [])],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          fontSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
        },
      },
      crossOriginEmbedderPolicy: false,
    });
  },
  { name: 'helmet', dependencies: ['config'] },
);
