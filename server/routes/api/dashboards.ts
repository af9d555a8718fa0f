import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { ErrorResponseSchema } from '../../../shared/api.js';
import { ADMIN_ROLES, READ_ROLES } from '../../../shared/auth.js';
import {
  DashboardFilesSchema,
  DashboardListSchema,
  DashboardSchema,
  type DashboardFiles,
  type DashboardList,
} from '../../../shared/dashboard.js';
import { Errors } from '../../errors.js';

const refused = { 401: ErrorResponseSchema, 403: ErrorResponseSchema };

/** The dashboards a wall can show (dashboards/*.json, live-edited) and the playlists rotating them. */
const dashboardRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/dashboards',
    {
      config: { access: READ_ROLES },
      schema: {
        tags: ['dashboards'],
        summary: 'Every dashboard (id, title, whether it is one town’s) and the playlists',
        response: { 200: DashboardListSchema, ...refused },
      },
    },
    async (): Promise<DashboardList> => ({
      dashboards: [...app.dashboards.dashboards.values()].map((d) => ({
        id: d.id,
        title: d.title,
        scoped: d.scoped ?? false,
      })),
      playlists: app.dashboards.playlists,
    }),
  );

  app.get(
    '/api/dashboards/:id',
    {
      config: { access: READ_ROLES },
      schema: {
        tags: ['dashboards'],
        summary: 'One dashboard: its panels on the grid, their queries, thresholds and options',
        params: Type.Object({ id: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }) }),
        response: { 200: DashboardSchema, 404: ErrorResponseSchema, ...refused },
      },
    },
    async (request) => {
      const dashboard = app.dashboards.dashboards.get(request.params.id);
      if (!dashboard) throw new Errors.DASHBOARD_NOT_FOUND(request.params.id);
      return dashboard;
    },
  );

  app.get(
    '/api/v1/admin/dashboards',
    {
      config: { access: ADMIN_ROLES },
      schema: {
        tags: ['dashboards'],
        summary: 'Each file of the dashboards directory as the hot reload last saw it: valid, invalid (why), removed',
        response: { 200: DashboardFilesSchema, ...refused },
      },
    },
    async (_request, reply): Promise<DashboardFiles> => {
      reply.header('cache-control', 'no-store');
      return { files: [...app.dashboards.files.values()].sort((a, b) => a.file.localeCompare(b.file)) };
    },
  );
};

export default dashboardRoutes;
