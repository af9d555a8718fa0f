import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { ErrorResponseSchema } from '../../../../shared/api.js';
import { DISPATCH_ROLES } from '../../../../shared/auth.js';
import {
  TeamBoardQuerySchema,
  TeamBoardSchema,
  TeamMembersQuerySchema,
  TeamMembersSchema,
} from '../../../../shared/teams.js';
import { requirePrincipal } from '../../../plugins/app/auth.js';
import { TeamBoardReader } from '../../../teams/board.js';
import { perCaller } from './params.js';

const errors = {
  400: ErrorResponseSchema,
  401: ErrorResponseSchema,
  403: ErrorResponseSchema,
  429: ErrorResponseSchema,
};
/** The console reloads the board every few seconds; a client reading team after team is harvesting the registry. */
const rateLimit = { max: 120, timeWindow: '1 minute', keyGenerator: perCaller };

/** The console's team and volunteer board (队伍 / 志愿者), read-only, within the caller's town. */
const teamRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const reader = new TeamBoardReader(app.store, app.network.nodes);
  const config = { access: DISPATCH_ROLES, rateLimit };
  const tags = ['dispatch'];

  app.get(
    '/api/v1/teams',
    {
      config,
      schema: {
        tags,
        summary:
          "志愿服务总队 → 支队 → 小队 in the caller's scope, with who is on duty, serving or idle and today's orders",
        description:
          "The 总队's sums for a district dispatcher only; the 支队 of every town it may read (a town's dispatcher: its own); the 小队 of `town` (default: the caller's own town). 403 for another town's.",
        querystring: TeamBoardQuerySchema,
        response: { 200: TeamBoardSchema, ...errors },
      },
    },
    async (request) => reader.board(requirePrincipal(request), request.query.town),
  );

  app.get(
    '/api/v1/teams/members',
    {
      config,
      schema: {
        tags,
        summary: "A 小队's volunteers: status, home station, last check-in, the order they are on, orders today",
        description: "Names masked. 403 for a team of another town; 404 for no such team in the caller's.",
        querystring: TeamMembersQuerySchema,
        response: { 200: TeamMembersSchema, ...errors, 404: ErrorResponseSchema },
      },
    },
    async (request) => reader.members(requirePrincipal(request), request.query.team),
  );
};

export default teamRoutes;
