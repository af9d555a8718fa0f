import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { ErrorResponseSchema } from '../../../shared/api.js';
import {
  ADMIN_ROLES,
  DISTRICT,
  Role,
  TokenCreateBodySchema,
  TokenCreatedSchema,
  TokenInfoSchema,
} from '../../../shared/auth.js';
import { AuditAction } from '../../auth/audit.js';
import { CONFIGURED_BY } from '../../auth/tokens.js';
import { Errors } from '../../errors.js';
import { requirePrincipal } from '../../plugins/app/auth.js';

const refused = { 400: ErrorResponseSchema, 401: ErrorResponseSchema, 403: ErrorResponseSchema };

/** Wall and device tokens, admin only: create (the secret is answered once), list, revoke. */
const tokenRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const towns = new Set(app.network.nodes.filter((n) => n.level === 'institute').map((n) => n.id));

  app.post(
    '/api/auth/tokens',
    {
      config: { access: ADMIN_ROLES },
      schema: {
        tags: ['auth'],
        summary: 'Create a wall or device token; the secret is in this answer only',
        body: TokenCreateBodySchema,
        response: { 201: TokenCreatedSchema, ...refused },
      },
    },
    async (request, reply) => {
      const admin = requirePrincipal(request);
      const scope = request.body.scope ?? DISTRICT;
      if (scope !== DISTRICT && !towns.has(scope))
        throw new Errors.VALIDATION(`scope ${scope} is not a town of this network`);
      const { dashboard } = request.body;
      if (dashboard !== undefined && request.body.role !== Role.wall)
        throw new Errors.VALIDATION('only a wall token opens a dashboard');
      if (dashboard !== undefined && !app.dashboards.dashboards.has(dashboard))
        throw new Errors.VALIDATION(`dashboard ${dashboard} does not exist`);
      const created = await app.auth.tokens.create(request.body, admin.id);
      app.auth.audit.record({
        action: AuditAction.tokenCreated,
        actor: admin.id,
        subject: created.info.id,
        result: 'ok',
        ip: request.ip,
      });
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/api/auth/tokens',
    {
      config: { access: ADMIN_ROLES },
      schema: {
        tags: ['auth'],
        summary: 'Every token, revoked ones too',
        response: { 200: Type.Array(TokenInfoSchema), ...refused },
      },
    },
    async () => app.auth.tokens.list(),
  );

  app.delete(
    '/api/auth/tokens/:id',
    {
      config: { access: ADMIN_ROLES },
      schema: {
        tags: ['auth'],
        summary: 'Revoke a token at once: HTTP calls and sockets using it stop',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: TokenInfoSchema, ...refused, 404: ErrorResponseSchema, 409: ErrorResponseSchema },
      },
    },
    async (request) => {
      const admin = requirePrincipal(request);
      const { id } = request.params;
      if ((await app.auth.tokens.find(id))?.createdBy === CONFIGURED_BY) throw new Errors.TOKEN_CONFIGURED(id);
      // Ends the token's sockets on every namespace too (AuthService.onEnded).
      const revoked = await app.auth.revokeToken(id);
      if (!revoked) throw new Errors.TOKEN_NOT_FOUND(id);
      app.auth.audit.record({
        action: AuditAction.tokenRevoked,
        actor: admin.id,
        subject: id,
        result: 'ok',
        ip: request.ip,
      });
      return revoked;
    },
  );
};

export default tokenRoutes;
