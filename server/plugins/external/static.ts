import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import type { RefusalCode } from '../../../shared/codes.js';

const CLIENT_DIR = fileURLToPath(new URL('../../../dist/client/', import.meta.url));

/**
 * Serves the built wall; unknown non-API GETs fall back to index.html (client-side routes). Our own
 * not-found answer, built or not: Fastify's logs the whole URL, query string (an old kiosk link's
 * `?token=`) included.
 */
export default fp(
  async (app) => {
    const built = existsSync(CLIENT_DIR);
    if (built) await app.register(fastifyStatic, { root: CLIENT_DIR, prefix: '/', wildcard: false, maxAge: '1h' });
    else app.log.warn({ dir: CLIENT_DIR }, 'client not built; run `npm run build`');
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      if (built && request.method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/socket.io')) {
        return reply.type('text/html').sendFile('index.html');
      }
      return reply
        .code(404)
        .send({ code: 'REQ_NOT_FOUND' satisfies RefusalCode, message: `no route ${request.method} ${path}` });
    });
  },
  { name: 'static' },
);
