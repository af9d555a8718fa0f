import fp from 'fastify-plugin';
import type { Namespace } from 'socket.io';
import { INGEST_ROLES } from '../../../shared/auth.js';
import { INGEST_NAMESPACE, type IngestClientToServer, type IngestServerToClient } from '../../../shared/ingest.js';
import { serveIngest } from '../../sockets/ingest.js';

/** Devices stream batches over `/ingest` (sockets/ingest.ts) into the same ingest path as HTTP. */
export default fp(
  async (app) => {
    const ns: Namespace<IngestClientToServer, IngestServerToClient> = app.io.of(INGEST_NAMESPACE);
    ns.use(app.socketGuard.middleware(INGEST_ROLES));
    serveIngest(ns, (items) => app.ingest.submit(items), app.log);
  },
  { name: 'ingest-socket', dependencies: ['ingest', 'live', 'auth'] },
);
