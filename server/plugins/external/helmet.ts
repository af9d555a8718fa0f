import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

/**
 * Strict headers. The wall needs inline styles (Leaflet positions tiles with them) and data: images.
 *
 * HSTS and CSP `upgrade-insecure-requests` go only with a page that really came over TLS (this
 * server's own, or a trusted proxy's X-Forwarded-Proto: Fastify's `request.protocol`), decided per
 * request: sent over plain http they make a browser ask for every script over https, and a wall
 * opened as http://<server name>:3000 stays black.
 */
export default fp(
  async (app) => {
    const tileOrigin = app.config.TILE_URL ? new URL(app.config.TILE_URL.replace(/\{[a-z]\}/g, 'a')).origin : null;
    const directives = {
      defaultSrc: ["'self'"],
      // 'wasm-unsafe-eval' compiles WebAssembly, and nothing else: the phone's QR reader (ZXing) on
      // browsers without a BarcodeDetector of their own. String eval stays refused.
      scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:', ...(tileOrigin ? [tileOrigin] : [])],
      connectSrc: ["'self'", 'ws:', 'wss:'],
      fontSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
    };
    // Not global: the hook below applies one of the two sets to each request.
    await app.register(helmet, {
      global: false,
      contentSecurityPolicy: { directives },
      crossOriginEmbedderPolicy: false,
    });
    // Cross-Origin-Opener-Policy too: a browser ignores it on an http origin other than localhost,
    // and says so as a console error on every page.
    const plainHttp = {
      contentSecurityPolicy: { directives: { ...directives, upgradeInsecureRequests: null } },
      strictTransportSecurity: false,
      crossOriginOpenerPolicy: false,
    };
    app.addHook('onRequest', async (request, reply) => {
      reply.helmet(request.protocol === 'https' ? undefined : plainHttp);
    });
  },
  { name: 'helmet', dependencies: ['config'] },
);
