import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { ErrorResponseSchema } from '../../../../shared/api.js';
import { ADMIN_ROLES } from '../../../../shared/auth.js';
import { LIVE_NAMESPACE } from '../../../../shared/live.js';
import { ScreenListSchema, type ScreenList } from '../../../../shared/screens.js';
import { listScreens } from '../../../live/screens.js';

/** The screens connected to `/live` now, for the admin console (which polls it). */
const screenRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/admin/screens',
    {
      config: { access: ADMIN_ROLES },
      schema: {
        tags: ['admin'],
        summary: 'Connected screens: who, scope, dashboard, client version, address, age of the last frame',
        response: { 200: ScreenListSchema, 401: ErrorResponseSchema, 403: ErrorResponseSchema },
      },
    },
    async (_request, reply): Promise<ScreenList> => {
      reply.header('cache-control', 'no-store');
      return { screens: listScreens(app.io.of(LIVE_NAMESPACE), app.liveFanout) };
    },
  );
};

export default screenRoutes;
