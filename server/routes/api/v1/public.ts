import { ActivityStatus } from '../../../../shared/activities.js';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { errorResponses } from '../../../../shared/api.js';
import { statusOf } from '../../../../shared/codes.js';
import type { NetworkNode } from '../../../../shared/network.js';
import {
  CitizenAppealAnswerSchema,
  CitizenAppealBodySchema,
  CitizenOrderAnswerSchema,
  CitizenOrderBodySchema,
  PUBLIC_API,
  PublicNodeSchema,
  RatingBodySchema,
  SegmentParams,
  TRACK_TOKEN_HEADER,
  TrackViewSchema,
} from '../../../../shared/public.js';
import type { Result } from '../../../../shared/result.js';
import { AuditAction } from '../../../auth/audit.js';
import { Errors } from '../../../errors.js';

const errors = errorResponses(400, 404, 409, 429, 503);
const tags = ['public'];

/** A refusal from the desk, answered with its code's status from the registry (shared/codes.ts). */
function refuse(error: { code: string; message: string }): Error {
  return Object.assign(new Error(error.message), { code: error.code, statusCode: statusOf(error.code) ?? 500 });
}
const unwrap = <T>(result: Result<T>): T => {
  if (!result.ok) throw refuse(result.error);
  return result.data;
};

/**
 * The citizens' routes, anonymous (issue 16.2, 16.6): a node's page, 点单 and 百姓点题 from it, and
 * tracking and rating by the token of the link `PUBLIC_URL/t#<token>`, sent in a header so it
 * never sits in a request line or a log. Every POST is limited per address and, for a node's
 * forms, per node; reads more loosely per address. Every refusal is on the audit trail, naming the
 * route and the code, never the token.
 */
const publicRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { desk, nodes } = app.citizens;
  const access = 'public' as const;
  const postLimit = { max: app.config.PUBLIC_POSTS_PER_MINUTE, timeWindow: '1 minute' };
  const readLimit = { max: app.config.PUBLIC_READS_PER_MINUTE, timeWindow: '1 minute' };
  const perNode = new RateLimiterMemory({
    keyPrefix: 'public-node',
    points: app.config.PUBLIC_NODE_POSTS_PER_HOUR,
    duration: 3600,
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode < 400) return payload;
    let code = `HTTP_${reply.statusCode}`;
    try {
      code = (JSON.parse(String(payload)) as { code?: string }).code ?? code;
    } catch {
      // not JSON: the status stands for the code
    }
    app.auth.audit.record({
      action: AuditAction.publicRefused,
      actor: 'public',
      result: 'refused',
      ip: request.ip,
      subject: `${request.method} ${request.routeOptions.url ?? ''} ${code}`,
    });
    return payload;
  });

  const nodeOf = (segment: string): NetworkNode => unwrap(nodes.resolve(segment));
  async function nodeBudget(node: NetworkNode): Promise<void> {
    try {
      await perNode.consume(node.id);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      throw new Errors.REQ_RATE_LIMITED(`${Math.ceil(e.msBeforeNext / 1000)} s (this site)`);
    }
  }
  async function tokenOrder(request: FastifyRequest): Promise<string> {
    const orderId = await desk.orderOfToken(request.headers[TRACK_TOKEN_HEADER]);
    if (orderId === null) throw new Errors.TRACK_NOT_FOUND();
    return orderId;
  }

  app.get(
    `${PUBLIC_API}/nodes/:segment`,
    {
      config: { access, rateLimit: readLimit },
      schema: {
        tags,
        summary: "A node's public page: where it is, what it offers, this month's figures (no person named)",
        params: SegmentParams,
        response: { 200: PublicNodeSchema, ...errors },
      },
    },
    async (request) => {
      const board = app.activities.board;
      const published = [...board.activities.values()]
        .filter((a) => a.status === ActivityStatus.published)
        .map((a) => ({ ...a, signedUp: board.counts(a.id).signedUp }));
      return nodes.page(nodeOf(request.params.segment), Date.now(), published);
    },
  );

  app.post(
    `${PUBLIC_API}/nodes/:segment/orders`,
    {
      config: { access, rateLimit: postLimit },
      schema: {
        tags,
        summary: '群众点单 at this node: answers the tracking token once (the link is PUBLIC_URL/t#<token>)',
        params: SegmentParams,
        body: CitizenOrderBodySchema,
        response: { 200: CitizenOrderAnswerSchema, ...errors },
      },
    },
    async (request, reply) => {
      const node = nodeOf(request.params.segment);
      await nodeBudget(node);
      reply.header('cache-control', 'no-store');
      return unwrap(await desk.order(node, request.body));
    },
  );

  app.post(
    `${PUBLIC_API}/nodes/:segment/appeals`,
    {
      config: { access, rateLimit: postLimit },
      schema: {
        tags,
        summary: '百姓点题 at this node: an appeal (咨询 / 投诉 / 建议) the wall counts',
        params: SegmentParams,
        body: CitizenAppealBodySchema,
        response: { 200: CitizenAppealAnswerSchema, ...errors },
      },
    },
    async (request) => {
      const node = nodeOf(request.params.segment);
      await nodeBudget(node);
      return unwrap(await desk.appeal(node, request.body));
    },
  );

  app.get(
    `${PUBLIC_API}/track`,
    {
      config: { access, rateLimit: readLimit },
      schema: {
        tags,
        summary: `The order a tracking token names (header ${TRACK_TOKEN_HEADER}); any other token is one 404`,
        response: { 200: TrackViewSchema, ...errors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const view = await desk.view(await tokenOrder(request));
      if (!view) throw new Errors.TRACK_NOT_FOUND();
      return view;
    },
  );

  app.post(
    `${PUBLIC_API}/track/rating`,
    {
      config: { access, rateLimit: postLimit },
      schema: {
        tags,
        summary: 'Rate a completed order once (1–5 and a comment): its `rate` command, the comment as the reason',
        body: RatingBodySchema,
        response: { 200: TrackViewSchema, ...errors },
      },
    },
    async (request) => {
      const orderId = await tokenOrder(request);
      const view = unwrap(await desk.rate(orderId, request.body));
      app.citizens.push(orderId);
      return view;
    },
  );
};

export default publicRoutes;
