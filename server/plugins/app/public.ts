import fp from 'fastify-plugin';
import { TRACK_NAMESPACE } from '../../../shared/public.js';
import { AuditAction } from '../../auth/audit.js';
import { EventSource } from '../../ingest/validate.js';
import { CitizenDesk } from '../../public/desk.js';
import { PublicNodes } from '../../public/nodes.js';
import { serveTrack, type TrackNamespace } from '../../sockets/track.js';

declare module 'fastify' {
  interface FastifyInstance {
    citizens: {
      desk: CitizenDesk;
      nodes: PublicNodes;
      /** Sends a tracked order's view to the pages following it (after a change the dispatch push does not carry). */
      push: (orderId: string) => void;
    };
  }
}

/** The citizens' desk (public/desk.ts) on the dispatch service and ingest, and its `/track` socket. */
export default fp(
  async (app) => {
    const nodes = new PublicNodes(app.network, app.store, app.config.PUBLIC_URL);
    const desk = new CitizenDesk({
      store: app.store,
      dispatch: app.dispatch,
      submit: (events) => app.ingest.submit(events, EventSource.device),
      placeOf: (id) => nodes.place(id),
    });
    const log = app.log.child({ module: 'track' });
    const ns: TrackNamespace = app.io.of(TRACK_NAMESPACE);
    const { push } = serveTrack(
      ns,
      desk,
      app.config.PUBLIC_READS_PER_MINUTE,
      (ip, code) =>
        app.auth.audit.record({
          action: AuditAction.publicRefused,
          actor: 'public',
          result: 'refused',
          ip,
          subject: `socket ${TRACK_NAMESPACE} ${code}`,
        }),
      (error) => log.warn({ err: error }, 'tracking view failed'),
    );
    const unsubscribe = app.dispatch.subscribe({ order: (order) => push(order.id), volunteer: () => undefined });
    app.addHook('preClose', async () => unsubscribe());
    app.decorate('citizens', { desk, nodes, push });
  },
  { name: 'public', dependencies: ['dispatch', 'live', 'auth', 'network', 'ingest'] },
);
