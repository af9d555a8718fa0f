import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

const CLIENT_DIR = fileURLToPath(new URL('../../../dist/client/', import.meta.url));

/** Serves the built wall; unknown non-API GETs fall back to index.html (client-side routes). */
export default fp(
  async (app) => {
    if (!existsSync(CLIENT_DIR)) {
      app.log.warn({ dir: CLIENT_DIR }, 'client not built; run `npm run build`');
      return;
    }
    await app.register(fastifyStatic, { root: CLIENT_DIR, prefix: '/', wildcard: false, maxAge: '1h' });
    app.setNotFoundHandler((request, reply) => {
      if (request.method === 'GET' && !request.url.startsWith('/api/') && !request.url.startsWith('/socket.io')) {
        return reply.type('text/html').sendFile('index.html');
      }
      return reply.code(404).send({ code: 'REQ_NOT_FOUND', message: `no route ${request.method} ${request.url}` });
    });
  },
  { name: 'static' },
);
