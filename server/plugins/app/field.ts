import fp from 'fastify-plugin';
import type { Namespace } from 'socket.io';
import { VOLUNTEER_ROLES } from '../../../shared/auth.js';
import { FIELD_NAMESPACE, type FieldClientToServer, type FieldServerToClient } from '../../../shared/field.js';
import { serveField } from '../../sockets/field.js';

/** The volunteers' `/field` socket (sockets/field.ts): their own tasks, live, by their session. */
export default fp(
  async (app) => {
    const ns: Namespace<FieldClientToServer, FieldServerToClient> = app.io.of(FIELD_NAMESPACE);
    ns.use(app.socketGuard.middleware(VOLUNTEER_ROLES));
    const stop = serveField(
      ns,
      app.dispatch,
      new Map(app.network.nodes.map((n) => [n.id, n])),
      app.log.child({ module: 'field' }),
    );
    app.addHook('onClose', async () => stop());
  },
  { name: 'field', dependencies: ['dispatch', 'volunteers', 'live', 'auth', 'network'] },
);
