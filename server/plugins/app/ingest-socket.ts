import fp from 'fastify-plugin';
import type { Namespace } from 'socket.io';
import { INGEST_ROLES } from '../../../shared/auth.js';
import { MAX_BATCH } from '../../../shared/events.js';
import { INGEST_NAMESPACE, type IngestClientToServer, type IngestServerToClient } from '../../../shared/ingest.js';
import { fail, ok } from '../../../shared/result.js';

/** Devices stream batches over `/ingest` (device token in the handshake) into the same ingest path as HTTP. */
export default fp(
  async (app) => {
    const ns: Namespace<IngestClientToServer, IngestServerToClient> = app.io.of(INGEST_NAMESPACE);
    ns.use(app.socketGuard.middleware(INGEST_ROLES));
    ns.on('connection', (socket) => {
      socket.on('ingest:batch', (items, ack) => {
        if (typeof ack !== 'function') return;
        if (!Array.isArray(items) || items.length === 0) {
          ack(fail('REQ_VALIDATION', 'a batch is a non-empty array of events'));
          return;
        }
        if (items.length > MAX_BATCH) {
          ack(fail('INGEST_BATCH_TOO_LARGE', `a batch holds at most ${MAX_BATCH} events`));
          return;
        }
        app.ingest.submit(items).then(
          (result) => ack(ok(result)),
          (error: unknown) => {
            const e = error as { code?: string; message?: string; statusCode?: number };
            if ((e.statusCode ?? 500) >= 500 && e.code !== 'INGEST_BACKPRESSURE')
              app.log.error({ err: error }, 'socket ingest failed');
            ack(fail(e.code ?? 'INTERNAL', e.code ? (e.message ?? 'error') : 'internal error'));
          },
        );
      });
    });
  },
  { name: 'ingest-socket', dependencies: ['ingest', 'live', 'auth'] },
);
