import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '../../../../shared/api.js';
import { canActOn, DISPATCH_ROLES, DISTRICT } from '../../../../shared/auth.js';
import {
  AccountAction,
  AccountInfoSchema,
  AccountListSchema,
  AccountStatus,
  DecisionBodySchema,
  VolunteerCode,
} from '../../../../shared/volunteer.js';
import { AuditAction } from '../../../auth/audit.js';
import { Errors } from '../../../errors.js';
import { requirePrincipal } from '../../../plugins/app/auth.js';
import { accountInfo } from '../../../volunteers/accounts.js';

const tags = ['volunteers'];
const config = { access: DISPATCH_ROLES };
const refused = errorResponses(400, 401, 403, 404, 409);
const ACTION_AUDIT = {
  approve: AuditAction.volunteerApproved,
  reject: AuditAction.volunteerRejected,
  disable: AuditAction.volunteerDisabled,
  enable: AuditAction.volunteerEnabled,
} as const;
const REFUSALS = {
  [VolunteerCode.notFound]: Errors.VOLUNTEER_NOT_FOUND,
  [VolunteerCode.badMove]: Errors.VOLUNTEER_BAD_STATE,
  [VolunteerCode.reasonRequired]: Errors.VOLUNTEER_REASON_REQUIRED,
} as const;

/**
 * 志愿者招募 in the dispatch console: a town's dispatcher lists and decides its town's registrations
 * (the district's and an admin every town's), and disables or enables an account — which ends
 * every session and socket of that volunteer at once. Every act, refusals included, is audited.
 * A pending registration's phone is shown in full to whoever may decide it; every other is masked.
 */
const volunteerAccountRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { accounts, login } = app.volunteers;
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.get(
    '/api/v1/volunteer-accounts',
    {
      config,
      schema: {
        tags,
        summary: 'Volunteers’ phone accounts of the caller’s town (every town for the district), newest first',
        querystring: Type.Object(
          { status: Type.Optional(Type.Enum(Object.values(AccountStatus))) },
          { additionalProperties: false },
        ),
        response: { 200: AccountListSchema, ...refused },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const town = principal.role === 'admin' || principal.scope === DISTRICT ? null : principal.scope;
      const wanted = request.query.status;
      const list = accounts.list(town).filter((a) => wanted === undefined || a.status === wanted);
      return { accounts: list.map((a) => accountInfo(a, a.status === 'pending')) };
    },
  );

  app.get(
    '/api/v1/volunteer-accounts/reachable',
    {
      config,
      schema: {
        tags,
        summary: 'Which of these volunteers have an approved phone account (may be offered an order: 派给志愿者)',
        querystring: Type.Object(
          { ids: Type.String({ maxLength: 2000, pattern: '^[A-Za-z0-9_.:-]+(,[A-Za-z0-9_.:-]+)*$' }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ ids: Type.Array(Type.String()) }), ...refused },
      },
    },
    async (request) => {
      const ids = request.query.ids.split(',');
      const rows = await accounts.findMany(ids);
      return { ids: ids.filter((_, i) => rows[i]?.status === 'approved') };
    },
  );

  app.post(
    '/api/v1/volunteer-accounts/:id/:action',
    {
      config,
      schema: {
        tags,
        summary: 'Approve, reject (with a reason), disable or enable a volunteer account of the caller’s town',
        params: Type.Object({
          id: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' }),
          action: Type.Enum(Object.values(AccountAction)),
        }),
        body: DecisionBodySchema,
        response: { 200: AccountInfoSchema, ...refused },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { id, action } = request.params;
      const audit = (result: 'ok' | 'refused', code = '') =>
        app.auth.audit.record({
          action: ACTION_AUDIT[action],
          actor: principal.id,
          result,
          ip: request.ip,
          subject: code === '' ? `volunteer:${id}` : `volunteer:${id} (${code})`,
        });
      const row = await accounts.find(id);
      // Another town's account is refused as if it were not there to be decided.
      if (row && !canActOn(principal, row.instituteId)) {
        audit('refused', 'AUTH_FORBIDDEN');
        throw new Errors.FORBIDDEN(`decide volunteer accounts of ${row.instituteId}`);
      }
      const outcome = await accounts.decide(id, action, request.body.reason ?? '', principal.id);
      if (!outcome.ok) {
        audit('refused', outcome.code);
        throw new REFUSALS[outcome.code as keyof typeof REFUSALS](id);
      }
      audit('ok');
      if (action === 'disable') await login.endSessions(id);
      return accountInfo(outcome.value, false);
    },
  );
};

export default volunteerAccountRoutes;
