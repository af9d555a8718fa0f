import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { ErrorResponseSchema } from '../../../../shared/api.js';
import { canActOn, DISPATCH_ROLES } from '../../../../shared/auth.js';
import { statusOf } from '../../../../shared/codes.js';
import {
  type AuditEntry,
  CandidateSchema,
  CommandOutcomeSchema,
  DispatchCode,
  OrderCommandSchema,
  OrderDetailSchema,
  OrderListSchema,
  OrderRequestSchema,
  OrderViewSchema,
  VolunteerTimelineSchema,
  type CommandAck,
} from '../../../../shared/dispatch.js';
import { OrderState } from '../../../../shared/events.js';
import { maskText } from '../../../../shared/mask.js';
import { requirePrincipal } from '../../../plugins/app/auth.js';
import { Id, IdParams, perCaller } from './params.js';
import { Errors } from '../../../errors.js';

/** A refusal: the code, and for stale or illegal commands the order as it is now. */
const RefusalSchema = Type.Object({
  code: Type.String(),
  message: Type.String(),
  order: Type.Optional(OrderViewSchema),
});
const errors = { 400: ErrorResponseSchema, 401: ErrorResponseSchema, 403: ErrorResponseSchema };
const commandResponses = {
  200: CommandOutcomeSchema,
  ...errors,
  403: RefusalSchema,
  404: RefusalSchema,
  409: RefusalSchema,
  503: RefusalSchema,
};
const TIMELINE_LIMIT = 1_000;
/**
 * Commands are limited per session or token, not per address: a dispatch room shares one address.
 * A person gives a few commands a minute; the limit stops a runaway client, not a busy shift.
 */
const commandRateLimit = {
  max: 3_000,
  timeWindow: '1 minute',
  keyGenerator: perCaller,
};

/** Notes and reasons on the trail are kept whole; read back, they are masked like the order itself. */
const maskedTimeline = (entries: AuditEntry[]): AuditEntry[] =>
  entries.map((e) => ({ ...e, message: maskText(e.message) }));

/** Answers a command's outcome with its HTTP status (200, or the refusal's status from the registry). */
function answer(reply: FastifyReply, ack: CommandAck) {
  if (ack.ok) return reply.code(200).send(ack.data);
  return reply.code(statusOf(ack.error.code) ?? 500).send(ack.error);
}

/** The dispatch console over HTTP: the same service and contract as the `/dispatch` socket. */
const ordersRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const config = { access: DISPATCH_ROLES };
  const tags = ['dispatch'];

  app.get(
    '/api/v1/orders',
    {
      config,
      schema: {
        tags,
        summary: "Open orders in the caller's scope (its town, or all for the district), oldest first",
        querystring: Type.Object({
          state: Type.Optional(Type.Enum(Object.values(OrderState))),
          town: Type.Optional(Id),
        }),
        response: { 200: OrderListSchema, ...errors },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { town, state } = request.query;
      if (town !== undefined && !canActOn(principal, town)) throw new Errors.FORBIDDEN(`read orders of ${town}`);
      const orders = app.dispatch.openOrders(town ?? principal.scope).filter((o) => !state || o.state === state);
      return { at: app.dispatch.now(), orders };
    },
  );

  app.get(
    '/api/v1/orders/:id',
    {
      config,
      schema: {
        tags,
        summary: 'An order and its audit timeline (every attempt, refused ones too), oldest first',
        params: IdParams,
        response: { 200: OrderDetailSchema, ...errors, 404: ErrorResponseSchema },
      },
    },
    async (request) => {
      const order = app.dispatch.order(request.params.id);
      if (!order) throw new Errors.ORDER_NOT_FOUND(request.params.id);
      if (!canActOn(requirePrincipal(request), order.instituteId)) throw new Errors.FORBIDDEN(`read order ${order.id}`);
      const timeline = maskedTimeline(await app.dispatch.orderTimeline(order.id, TIMELINE_LIMIT));
      // The order as it is once the trail is read, as the trail ends.
      return { order: app.dispatch.order(order.id) ?? order, timeline };
    },
  );

  app.post(
    '/api/v1/orders/:id/commands',
    {
      config: { ...config, rateLimit: commandRateLimit },
      schema: {
        tags,
        summary: 'One command on an order (the body names the version it saw)',
        description:
          "200 with the order after the command (or, for a retried commandId, the first answer, `replayed: true`); 409 ORDER_STALE_VERSION / ORDER_ILLEGAL_TRANSITION / ORDER_DOUBLE_BOOKING with the current order; 403 outside the caller's town; 400 for a malformed command or unknown target.",
        params: IdParams,
        body: OrderCommandSchema,
        response: commandResponses,
      },
    },
    async (request, reply) => {
      if (request.body.orderId !== request.params.id) {
        throw new Errors.VALIDATION(`body.orderId ${request.body.orderId} is not the order ${request.params.id}`);
      }
      return answer(reply, await app.dispatch.command(requirePrincipal(request), request.body));
    },
  );

  app.post(
    '/api/v1/orders',
    {
      config: { ...config, rateLimit: commandRateLimit },
      schema: {
        tags,
        summary: '群众点单 entered by a dispatcher: a new order at a station or point',
        body: OrderRequestSchema,
        response: commandResponses,
      },
    },
    async (request, reply) => answer(reply, await app.dispatch.request(requirePrincipal(request), request.body)),
  );

  app.get(
    '/api/v1/orders/:id/candidates',
    {
      config,
      schema: {
        tags,
        summary: 'Volunteers and teams near the order, ranked by distance, skills and current load',
        params: IdParams,
        querystring: Type.Object({ limit: Type.Optional(Type.String({ pattern: '^(100|[1-9][0-9]?)$' })) }),
        response: { 200: Type.Array(CandidateSchema), ...errors, 404: ErrorResponseSchema },
      },
    },
    async (request) => {
      const result = await app.dispatch.candidates(
        requirePrincipal(request),
        request.params.id,
        Number(request.query.limit ?? 20),
      );
      if (result.ok) return result.data;
      if (result.error.code === DispatchCode.notFound) throw new Errors.ORDER_NOT_FOUND(request.params.id);
      throw new Errors.FORBIDDEN(`read order ${request.params.id}`);
    },
  );

  app.get(
    '/api/v1/volunteers/:id/timeline',
    {
      config,
      schema: {
        tags,
        summary: "A volunteer's dispatch timeline (attempts naming them), newest first",
        params: IdParams,
        response: { 200: VolunteerTimelineSchema, ...errors },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const volunteer = await app.dispatch.volunteer(request.params.id);
      // An unknown volunteer is the district's to ask about.
      if (!canActOn(principal, volunteer?.instituteId ?? ''))
        throw new Errors.FORBIDDEN(`read volunteer ${request.params.id}`);
      const timeline = maskedTimeline(await app.dispatch.volunteerTimeline(request.params.id, TIMELINE_LIMIT));
      // The volunteer as they are once the trail is read, as the trail ends.
      return { volunteer: (await app.dispatch.volunteer(request.params.id)) ?? null, timeline };
    },
  );
};

export default ordersRoutes;
