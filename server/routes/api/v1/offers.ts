import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { ErrorResponseSchema } from '../../../../shared/api.js';
import { DISPATCH_ROLES } from '../../../../shared/auth.js';
import { statusOf } from '../../../../shared/codes.js';
import { OfferBodySchema, OfferSchema } from '../../../../shared/field.js';
import { Errors } from '../../../errors.js';
import { requirePrincipal } from '../../../plugins/app/auth.js';

const tags = ['dispatch'];
const config = { access: DISPATCH_ROLES };
const refused = {
  400: ErrorResponseSchema,
  401: ErrorResponseSchema,
  403: ErrorResponseSchema,
  404: ErrorResponseSchema,
  409: ErrorResponseSchema,
};
const Params = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' }) });

/**
 * 派给志愿者: a dispatcher offers an order waiting at a 站 to a volunteer with the phone app; the
 * phone rings, and the order moves only when the volunteer accepts (their own `claim`). The
 * console's candidate pick still claims on behalf of volunteers without the app.
 */
const offerRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/v1/orders/:id/offers',
    {
      config,
      schema: {
        tags,
        summary:
          'Offer an order at a station to a volunteer with an approved phone account (the order does not change)',
        params: Params,
        body: OfferBodySchema,
        response: { 201: OfferSchema, ...refused },
      },
    },
    async (request, reply) => {
      const { volunteerId } = request.body;
      if ((await app.volunteers.accounts.find(volunteerId))?.status !== 'approved')
        throw new Errors.FIELD_NO_APP(volunteerId);
      const answer = await app.dispatch.offer(requirePrincipal(request), request.params.id, volunteerId);
      if (!answer.ok) return reply.code(statusOf(answer.error.code) ?? 500).send(answer.error);
      return reply.code(201).send(answer.data);
    },
  );

  app.get(
    '/api/v1/orders/:id/offers',
    {
      config,
      schema: {
        tags,
        summary: 'The offers of an order (open, accepted, declined with the reason, withdrawn), oldest first',
        params: Params,
        response: { 200: Type.Object({ offers: Type.Array(OfferSchema) }), ...refused },
      },
    },
    async (request) => {
      if (!app.dispatch.visible(requirePrincipal(request), request.params.id))
        throw new Errors.ORDER_NOT_FOUND(request.params.id);
      return { offers: app.dispatch.offersOn(request.params.id) };
    },
  );
};

export default offerRoutes;
