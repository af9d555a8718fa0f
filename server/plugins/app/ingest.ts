import fp from 'fastify-plugin';
import { Ingest } from '../../ingest/ingest.js';

declare module 'fastify' {
  interface FastifyInstance {
    ingest: Ingest;
  }
}

/** The one ingest path for devices, the HTTP API and the simulator alike. */
export default fp(
  async (app) => {
    const ingest = new Ingest(app.store, {
      walDir: app.config.WAL_DIR || `${app.config.DATA_DIR}/wal`,
      maxWalBytes: app.config.WAL_MAX_BYTES,
      flushMaxEvents: app.config.FLUSH_MAX_EVENTS,
      flushMaxAgeMs: app.config.FLUSH_MAX_AGE_MS,
      nodes: app.nodeInstitute,
      log: app.log.child({ module: 'ingest' }),
      onAccepted: (events, position) => {
        app.hub.onAccepted(events, position);
      },
      onFlushed: (position) => {
        app.hub.onFlushed(position);
      },
      onReplayed: (rows) => {
        for (const row of rows) app.hub.figures.apply(row);
      },
      // Several nodes share the store: their logs' positions coincide, their tokens must not. One
      // node keeps the tokens it always wrote, so a log replayed across an upgrade still dedups.
      ...(app.redis ? { tokenPrefix: `wal-${app.nodeId}` } : {}),
    });
    await ingest.start();
    app.decorate('ingest', ingest);
  },
  { name: 'ingest', dependencies: ['network', 'live'] },
);
