import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { ActivityCode, ActivityStatus, scanTime } from '../../../../shared/activities.js';
import {
  ActivityParamsSchema,
  MyActivitiesSchema,
  MyActivitySchema,
  ScanBodySchema,
  ScanResultSchema,
} from '../../../../shared/activity-api.js';
import { errorResponses } from '../../../../shared/api.js';
import { VOLUNTEER_ROLES, type Principal } from '../../../../shared/auth.js';
import type { ActivityRecord } from '../../../store/activity-repository.js';
import { volunteersByIds } from '../../../store/orders-repository.js';
import { myActivityView } from '../../../activities/views.js';
import { refusal } from '../../../errors.js';
import { requirePrincipal } from '../../../plugins/app/auth.js';
import { perCaller } from './params.js';

const errors = errorResponses(400, 401, 403, 404, 409, 429);
/** A phone taps a few times a minute; its offline queue sends what it kept in one go. */
const rateLimit = { max: 120, timeWindow: '1 minute', keyGenerator: perCaller };

/**
 * The volunteer's side of activities on the phone (`/m`): 活动报名 for the activities of their town
 * (their own station's first) and the scan of a node's code that checks them in or out. Who acts
 * is always the logged-in volunteer: no body names a volunteer, so nobody signs up anyone else.
 */
const fieldActivityRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const config = { access: VOLUNTEER_ROLES, rateLimit };
  const tags = ['field'];
  const nodes = new Map(app.network.nodes.map((n) => [n.id, n]));
  /** Volunteer id → home station, from the registry (a volunteer's station changes rarely). */
  const stations = new Map<string, string>();
  const stationOf = async (id: string): Promise<string> => {
    const known = stations.get(id);
    if (known !== undefined) return known;
    const [row] = await volunteersByIds(app.store, [id]);
    stations.set(id, row?.station_id ?? '');
    return row?.station_id ?? '';
  };
  const view = async (me: Principal, a: ActivityRecord) => {
    const node = nodes.get(a.nodeId);
    const station = await stationOf(me.id);
    const atMyStation = station !== '' && (a.nodeId === station || node?.parentId === station);
    const mine = app.activities.board.roster(a.id).get(me.id);
    return myActivityView(a, app.activities.board.counts(a.id), mine, {
      nodeName: node?.name ?? a.nodeId,
      atMyStation,
    });
  };
  const person = (me: Principal) => ({ id: me.id, name: me.name });

  app.get(
    '/api/v1/field/activities',
    {
      config,
      schema: {
        tags,
        summary: "My town's activities not yet over, my station's first, with places left and my step on each",
        description: 'Also the ones I signed up for that were cancelled, so the phone can say so.',
        response: { 200: MyActivitiesSchema, ...errors },
      },
    },
    async (request) => {
      const me = requirePrincipal(request);
      const now = Date.now();
      const board = app.activities.board;
      const listed = [...board.activities.values()].filter((a) => {
        const mine = board.roster(a.id).get(me.id);
        if (mine?.checkin && !mine.checkout) return true;
        if (a.instituteId !== me.scope || a.endsAt <= now) return false;
        return a.status === ActivityStatus.published || mine !== undefined;
      });
      const views = await Promise.all(listed.map((a) => view(me, a)));
      views.sort((x, y) => Number(y.atMyStation) - Number(x.atMyStation) || x.startsAt - y.startsAt);
      return { activities: views };
    },
  );

  app.post(
    '/api/v1/field/activities/:id/signup',
    {
      config,
      schema: {
        tags,
        summary: '活动报名: takes a place (a second tap holds the same one); ACTIVITY_FULL when none is left',
        params: ActivityParamsSchema,
        response: { 200: MyActivitySchema, ...errors },
      },
    },
    async (request) => {
      const me = requirePrincipal(request);
      const activity = app.activities.get(request.params.id);
      if (activity.instituteId !== me.scope)
        throw refusal(ActivityCode.outOfTown, `${activity.id} is not in ${me.scope}`);
      return view(me, await app.activities.signup(person(me), activity.id));
    },
  );

  app.post(
    '/api/v1/field/activities/:id/withdraw',
    {
      config,
      schema: {
        tags,
        summary: 'Withdraws my sign-up and frees the place (nothing to withdraw is no error)',
        params: ActivityParamsSchema,
        response: { 200: MyActivitySchema, ...errors },
      },
    },
    async (request) => {
      const me = requirePrincipal(request);
      return view(me, await app.activities.withdraw(person(me), request.params.id));
    },
  );

  app.post(
    '/api/v1/field/scans',
    {
      config,
      schema: {
        tags,
        summary: "签到 / 签退 by a node's code: checks me in on the activity I signed up for there now, or out",
        description:
          'The event id and time come from the phone (a scan queued offline keeps both); the same id sent again is answered as the first time and stored once. Refusals: ACTIVITY_NOT_SIGNED_UP, ACTIVITY_OUTSIDE_WINDOW, ACTIVITY_NOT_CHECKED_IN, ACTIVITY_CANCELLED, ACTIVITY_SCAN_TOO_OLD.',
        body: ScanBodySchema,
        response: { 200: ScanResultSchema, ...errors },
      },
    },
    async (request) => {
      const me = requirePrincipal(request);
      try {
        return await app.activities.scan(person(me), request.body);
      } catch (error) {
        // No activity here takes the scan: an order I hold at this place may (签到 on duty).
        const code = (error as { code?: string }).code;
        if (code !== ActivityCode.notSignedUp && code !== ActivityCode.notCheckedIn) throw error;
        const at = scanTime(request.body.at, Date.now());
        const onDuty = at.ok ? await app.duty.scan(me, request.body, at.data) : null;
        if (onDuty) return onDuty;
        throw error;
      }
    },
  );
};

export default fieldActivityRoutes;
