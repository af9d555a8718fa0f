import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ErrorResponseSchema } from '../../../../shared/api.js';
import { canActOn, DISPATCH_ROLES, READ_ROLES } from '../../../../shared/auth.js';
import { ContactSchema, type Contact } from '../../../../shared/dispatch.js';
import { AuditAction } from '../../../auth/audit.js';
import { Errors } from '../../../errors.js';
import { requirePrincipal } from '../../../plugins/app/auth.js';
import { IdParams, perCaller } from './params.js';
import { appealContact, orderContact, volunteerContact, type ContactRow } from '../../../store/contact-repository.js';

const errors = {
  401: ErrorResponseSchema,
  403: ErrorResponseSchema,
  404: ErrorResponseSchema,
  429: ErrorResponseSchema,
};
/**
 * A dispatcher calls a few people an hour; a client reading phone after phone is harvesting them.
 * Counted per person (session or token), not per address: a dispatch room shares one address.
 */
const revealRateLimit = {
  max: 30,
  timeWindow: '1 minute',
  keyGenerator: perCaller,
};
const dispatchRoles: ReadonlySet<string> = new Set(DISPATCH_ROLES);

/**
 * Unmasked personal data (PIPL): the full name and phone only for a dispatcher of the person's town
 * (or the district, or an admin), and every ask — refused ones too — on the audit trail before the
 * answer goes out. The routes admit every reading role so that a wall's or leader's ask is recorded
 * as refused rather than turned away unseen.
 */
const contactRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const instituteOfNode = new Map(app.network.nodes.map((n) => [n.id, n.instituteId ?? '']));

  async function reveal(
    request: FastifyRequest,
    subject: string,
    lookup: () => Promise<ContactRow | null>,
    scopeOf: (row: ContactRow) => string,
  ): Promise<Contact> {
    const principal = requirePrincipal(request);
    const record = (result: 'ok' | 'refused') =>
      app.auth.audit.record({ action: AuditAction.personalView, actor: principal.id, subject, result, ip: request.ip });
    if (!dispatchRoles.has(principal.role)) {
      record('refused');
      throw new Errors.FORBIDDEN('see unmasked personal data');
    }
    const row = await lookup();
    if (!row) {
      record('refused');
      throw new Errors.CONTACT_NOT_FOUND(subject);
    }
    if (!canActOn(principal, scopeOf(row))) {
      record('refused');
      throw new Errors.FORBIDDEN(`see ${subject} of another town`);
    }
    record('ok');
    return { subject, name: row.name, phone: row.phone };
  }

  const contactSchema = (summary: string) => ({
    config: { access: READ_ROLES, rateLimit: revealRateLimit },
    schema: { tags: ['privacy'], summary, params: IdParams, response: { 200: ContactSchema, ...errors } },
  });

  app.get(
    '/api/v1/volunteers/:id/contact',
    contactSchema("A volunteer's full name and phone, for their town's dispatcher; audited"),
    async (request, reply) => {
      const { id } = request.params;
      reply.header('cache-control', 'no-store');
      return reveal(
        request,
        `volunteer:${id}`,
        () => volunteerContact(app.store, id),
        (row) => row.scope_id,
      );
    },
  );

  app.get(
    '/api/v1/appeals/:id/contact',
    contactSchema("The name and phone of the citizen behind an appeal (诉求), for its town's dispatcher; audited"),
    async (request, reply) => {
      const { id } = request.params;
      reply.header('cache-control', 'no-store');
      return reveal(
        request,
        `appeal:${id}`,
        () => appealContact(app.store, id),
        (row) => instituteOfNode.get(row.scope_id) ?? '',
      );
    },
  );

  app.get(
    '/api/v1/orders/:id/contact',
    contactSchema(
      "The phone a citizen left with a 点单 from a node's public page, for the order's dispatchers; audited",
    ),
    async (request, reply) => {
      const { id } = request.params;
      reply.header('cache-control', 'no-store');
      return reveal(
        request,
        `order:${id}`,
        () => orderContact(app.store, id),
        // The town holding the order now (the center may have moved it), else its venue's.
        (row) => app.dispatch.townOf(id) || (instituteOfNode.get(row.scope_id) ?? ''),
      );
    },
  );
};

export default contactRoutes;
