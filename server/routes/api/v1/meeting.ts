import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { ErrorResponseSchema } from '../../../../shared/api.js';
import { ADMIN_ROLES, Role } from '../../../../shared/auth.js';
import { CONTROL_ROLES } from '../../../../shared/meeting.js';
import {
  GroupListSchema,
  ScreenGroupBodySchema,
  ScreenGroupListSchema,
  ScreenGroupSchema,
  TokenIdParamsSchema,
} from '../../../../shared/meeting-schemas.js';
import { AuditAction } from '../../../auth/audit.js';
import { Errors } from '../../../errors.js';
import { requirePrincipal } from '../../../plugins/app/auth.js';

const refused = { 401: ErrorResponseSchema, 403: ErrorResponseSchema };

/**
 * Screen groups of meeting control: the groups and their holds for the tablet (the `/meeting` socket
 * drives them), and the admin's screen list setting which wall token is in which group.
 */
const meetingRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/meeting/groups',
    {
      config: { access: CONTROL_ROLES },
      schema: {
        tags: ['meeting'],
        summary: 'Screen groups: walls connected now and who holds each (role and name)',
        response: { 200: GroupListSchema, ...refused },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return app.meetingGroups();
    },
  );

  app.get(
    '/api/v1/admin/screen-groups',
    {
      config: { access: ADMIN_ROLES },
      schema: {
        tags: ['admin'],
        summary: 'Which wall token is in which screen group',
        response: { 200: ScreenGroupListSchema, ...refused },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return { assignments: app.screenGroups.list() };
    },
  );

  app.put(
    '/api/v1/admin/screen-groups/:tokenId',
    {
      config: { access: ADMIN_ROLES },
      schema: {
        tags: ['admin'],
        summary:
          "Put a wall token's screens in a group (主屏, 左屏 …) or take them out (null): at once on connected walls",
        params: TokenIdParamsSchema,
        body: ScreenGroupBodySchema,
        response: { 200: ScreenGroupSchema, 404: ErrorResponseSchema, 400: ErrorResponseSchema, ...refused },
      },
    },
    async (request) => {
      const admin = requirePrincipal(request);
      const { tokenId } = request.params;
      const token = await app.auth.tokens.find(tokenId);
      if (!token || token.role !== Role.wall || token.revokedAt !== null) throw new Errors.TOKEN_NOT_FOUND(tokenId);
      const { group } = request.body;
      const before = await app.screenGroups.set(tokenId, group, admin.id);
      app.auth.audit.record({
        action: AuditAction.screenGroup,
        actor: admin.id,
        result: 'ok',
        subject: `${tokenId} → ${group ?? '-'}`,
        ip: request.ip,
      });
      if (before !== group) await app.moveScreens(tokenId, before, group);
      return { tokenId, group: group ?? '' };
    },
  );
};

export default meetingRoutes;
