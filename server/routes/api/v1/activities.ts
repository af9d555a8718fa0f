import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { ActivityCode } from '../../../../shared/activities.js';
import {
  ActivityListSchema,
  ActivityParamsSchema,
  ActivityPublishSchema,
  ActivityViewSchema,
} from '../../../../shared/activity-api.js';
import { errorResponses } from '../../../../shared/api.js';
import { canActOn, DISPATCH_ROLES, DISTRICT } from '../../../../shared/auth.js';
import { activityView } from '../../../activities/views.js';
import { refusal } from '../../../errors.js';
import { requirePrincipal } from '../../../plugins/app/auth.js';
import { perCaller } from './params.js';

const errors = errorResponses(400, 401, 403, 404, 409, 429);
/** Publishing is a few a day per desk; more is a script. */
const publishLimit = { max: 60, timeWindow: '1 minute', keyGenerator: perCaller };

/** Organisers (the dispatch console's staff): publish, list and cancel the activities of their town. */
const activityRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const config = { access: DISPATCH_ROLES };
  const tags = ['activities'];

  app.get(
    '/api/v1/activities',
    {
      config,
      schema: {
        tags,
        summary:
          "The caller's town's activities not yet over (the district: every town's), with sign-ups and check-ins",
        response: { 200: ActivityListSchema, ...errors },
      },
    },
    async (request) => {
      const me = requirePrincipal(request);
      const now = Date.now();
      const activities = [...app.activities.board.activities.values()]
        .filter((a) => a.endsAt > now - 86_400_000 && (me.scope === DISTRICT || a.instituteId === me.scope))
        .sort((a, b) => a.startsAt - b.startsAt)
        .map((a) => activityView(a, app.activities.board.counts(a.id)));
      const brands = [...(await app.brands()).entries()].map(([id, name]) => ({ id, name }));
      return { activities, brands };
    },
  );

  app.post(
    '/api/v1/activities',
    {
      config: { ...config, rateLimit: publishLimit },
      schema: {
        tags,
        summary: '活动发布: an activity at a station or point of the caller’s town',
        description:
          'ACTIVITY_PLACE_OUT_OF_TOWN (403) for a place of another town; the brand must be one articles name.',
        body: ActivityPublishSchema,
        response: { 200: ActivityViewSchema, ...errors },
      },
    },
    async (request) => {
      const me = requirePrincipal(request);
      const town = app.nodeInstitute.get(request.body.nodeId);
      if (town !== undefined && !canActOn(me, town))
        throw refusal(ActivityCode.outOfTown, `${request.body.nodeId} is not in ${me.scope}`);
      const brands = new Set((await app.brands()).keys());
      const activity = await app.activities.publish({ id: me.id, name: me.name }, request.body, brands);
      return activityView(activity, app.activities.board.counts(activity.id));
    },
  );

  app.post(
    '/api/v1/activities/:id/cancel',
    {
      config,
      schema: {
        tags,
        summary: 'Cancels an activity; the volunteers signed up see it cancelled on their phones',
        params: ActivityParamsSchema,
        response: { 200: ActivityViewSchema, ...errors },
      },
    },
    async (request) => {
      const me = requirePrincipal(request);
      const current = app.activities.get(request.params.id);
      if (!canActOn(me, current.instituteId))
        throw refusal(ActivityCode.outOfTown, `${current.id} is not in ${me.scope}`);
      const activity = await app.activities.cancel(current.id);
      return activityView(activity, app.activities.board.counts(activity.id));
    },
  );
};

export default activityRoutes;
