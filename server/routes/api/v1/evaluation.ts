/**
 * 一月一评估's weights (issue 17.5): the versions (admins and leaders read them: a report names
 * one), a new version saved by an admin (audited, refused when another was saved meanwhile), and
 * the evaluation's figures the admin console previews a draft's ranking on.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { ErrorResponseSchema } from '../../../../shared/api.js';
import { ADMIN_ROLES, Role } from '../../../../shared/auth.js';
import {
  EvaluationFiguresSchema,
  WeightsListSchema,
  WeightsSaveBodySchema,
  WeightsVersionSchema,
  type WeightsList,
  type WeightsVersion,
} from '../../../../shared/evaluation-weights.js';
import type { EvaluationResult } from '../../../../shared/queries/evaluation.js';
import { EvaluationParams } from '../../../../shared/queries/evaluation.js';
import { AuditAction } from '../../../auth/audit.js';
import { Errors } from '../../../errors.js';
import { buildScopes } from '../../../live/scope.js';
import { requirePrincipal } from '../../../plugins/app/auth.js';

const READERS = [Role.admin, Role.leader] as const;

const evaluationRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const scopes = buildScopes(app.network);

  app.get(
    '/api/v1/evaluation/weights',
    {
      config: { access: READERS },
      schema: {
        tags: ['evaluation'],
        summary: 'The evaluation weights in force and every version, newest first (version 0: the configuration)',
        response: { 200: WeightsListSchema, 401: ErrorResponseSchema, 403: ErrorResponseSchema },
      },
    },
    async (_request, reply): Promise<WeightsList> => {
      reply.header('cache-control', 'no-store');
      await app.weights.load();
      return app.weights.list();
    },
  );

  app.post(
    '/api/v1/evaluation/weights',
    {
      config: { access: ADMIN_ROLES },
      schema: {
        tags: ['evaluation'],
        summary: 'Saves new weights as the next version (whole percentages adding up to 100)',
        description:
          '`basedOn` is the version the admin edited; a newer one saved meanwhile is answered 409 WEIGHTS_STALE_VERSION. Weights not adding up to 100: 400 WEIGHTS_INVALID. Audited either way.',
        body: WeightsSaveBodySchema,
        response: {
          201: WeightsVersionSchema,
          400: ErrorResponseSchema,
          401: ErrorResponseSchema,
          403: ErrorResponseSchema,
          409: ErrorResponseSchema,
          503: ErrorResponseSchema,
        },
      },
    },
    async (request, reply): Promise<WeightsVersion> => {
      const principal = requirePrincipal(request);
      const { weights, basedOn, note = '' } = request.body;
      const audit = (result: 'ok' | 'refused', subject: string) =>
        app.auth.audit.record({
          action: AuditAction.weightsSaved,
          actor: principal.id,
          result,
          ip: request.ip,
          subject,
        });
      try {
        const saved = await app.weights.save(weights, basedOn, principal.id, note);
        audit('ok', `v${saved.version}`);
        return await reply.code(201).send(saved);
      } catch (error) {
        audit('refused', `from v${basedOn}: ${(error as { code?: string }).code ?? 'error'}`);
        throw error;
      }
    },
  );

  app.get(
    '/api/v1/evaluation/figures',
    {
      config: { access: READERS },
      schema: {
        tags: ['evaluation'],
        summary:
          "The county's evaluation now (period, level): each unit's figures, score and rank under the weights in force",
        querystring: EvaluationParams,
        response: {
          200: EvaluationFiguresSchema,
          400: ErrorResponseSchema,
          401: ErrorResponseSchema,
          403: ErrorResponseSchema,
          503: ErrorResponseSchema,
        },
      },
    },
    async (request, reply): Promise<EvaluationResult> => {
      reply.header('cache-control', 'no-store');
      const root = scopes.root;
      const answer = await app.hub.queries
        .current('evaluation', root, scopes.nodesIn(root), request.query)
        .catch((error: unknown) => {
          request.log.warn({ err: error }, 'evaluation figures failed');
          throw new Errors.STORE_UNAVAILABLE();
        });
      return answer.data;
    },
  );
};

export default evaluationRoutes;
