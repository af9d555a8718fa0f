import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { ErrorResponseSchema } from '../../../../shared/api.js';
import { AUDIT_PAGE_DEFAULT, AuditPageSchema, AuditQuerySchema, type AuditPage } from '../../../../shared/audit.js';
import { ADMIN_ROLES } from '../../../../shared/auth.js';
import { AuditAction } from '../../../auth/audit.js';

/**
 * The security audit trail for an admin: filtered by who, what, when and refusals, a page at a time —
 * every node's acts (ClickHouse's auth_audit; auth/audit.ts), whichever node the admin is on; while
 * ClickHouse cannot be read, this node's own acts from its file, the answer's `nodeOnly` saying so.
 */
const auditRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/audit',
    {
      config: { access: ADMIN_ROLES },
      schema: {
        tags: ['privacy'],
        summary: 'The security audit trail, newest first: logins, tokens, emergency switches, unmasked-data views',
        querystring: AuditQuerySchema,
        response: { 200: AuditPageSchema, 401: ErrorResponseSchema, 403: ErrorResponseSchema },
      },
    },
    async (request, reply): Promise<AuditPage> => {
      reply.header('cache-control', 'no-store');
      const { limit, offset, ...filter } = request.query;
      const page = await app.auth.audit.page(filter, Number(offset ?? 0), Number(limit ?? AUDIT_PAGE_DEFAULT));
      return { ...page, actions: Object.values(AuditAction) };
    },
  );
};

export default auditRoutes;
