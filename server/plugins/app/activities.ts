import fp from 'fastify-plugin';
import type { Namespace } from 'socket.io';
import {
  DISPATCH_NAMESPACE,
  type DispatchClientToServer,
  type DispatchServerToClient,
} from '../../../shared/dispatch.js';
import { FIELD_NAMESPACE, type FieldClientToServer, type FieldServerToClient } from '../../../shared/field.js';
import type { PracticeEvent } from '../../../shared/events.js';
import { maskName } from '../../../shared/mask.js';
import { DutyScans } from '../../activities/duty.js';
import { ActivityService, type ActivityChange } from '../../activities/service.js';
import { brandNames } from '../../store/activity-repository.js';
import { dispatchRoomsFor } from '../../sockets/dispatch.js';
import { roomOf as fieldRoomOf } from '../../sockets/field.js';

declare module 'fastify' {
  interface FastifyInstance {
    activities: ActivityService;
    /** 签到 on duty for an order at its place (activities/duty.ts), when no activity there takes the scan. */
    duty: DutyScans;
    /** Brands an organiser may name: id → name (as articles print it), read at start and when one is missing. */
    brands: () => Promise<ReadonlyMap<string, string>>;
  }
}

/** The feed line's type for a sign-up: no event, a line on the wall (client/panels/feed/feedTypes.ts). */
export const SIGNUP_FEED_TYPE = 'activity.signup';

/**
 * Activities (活动发布, 活动报名, 签到/签退): the service, its check-ins through ingest, its lines on the
 * wall's feed ("社区义诊 12/30") and a nudge on the console's `/dispatch` socket when an activity of
 * a room's town changes, so the console's list re-reads it at once instead of polling.
 */
export default fp(
  async (app) => {
    const nodes = new Map(app.network.nodes.map((n) => [n.id, n]));
    const submit = (events: PracticeEvent[]) => app.ingest.submit(events);
    const service = new ActivityService({ store: app.store, nodes, submit });
    await service.load();
    let brands = new Map((await brandNames(app.store)).map((b) => [b.id, b.name]));
    app.decorate('activities', service);
    app.decorate('duty', new DutyScans({ dispatch: app.dispatch, nodes, submit }));
    app.decorate('brands', async () => {
      if (brands.size === 0) brands = new Map((await brandNames(app.store)).map((b) => [b.id, b.name]));
      return brands;
    });

    app.hub.feedNote = (type, subjectId) => {
      const a = type === 'checkin' ? service.board.activities.get(subjectId) : undefined;
      return a ? `${a.title} ${service.board.counts(a.id).checkedIn}/${a.capacity}` : '';
    };
    const dispatch: Namespace<DispatchClientToServer, DispatchServerToClient> = app.io.of(DISPATCH_NAMESPACE);
    const field: Namespace<FieldClientToServer, FieldServerToClient> = app.io.of(FIELD_NAMESPACE);
    service.subscribe((change: ActivityChange) => {
      const { activity } = change;
      dispatch.to(dispatchRoomsFor(activity.instituteId)).emit('dispatch:activity', { activityId: activity.id });
      // Those signed up hear of a cancellation on their phones at once, not at their next look at 活动.
      if (change.kind === 'cancelled' && change.volunteerIds.length > 0) {
        const { id: activityId, title, startsAt } = activity;
        field.to(change.volunteerIds.map(fieldRoomOf)).emit('field:activity', {
          activityId,
          title,
          startsAt,
          status: 'cancelled',
        });
      }
      if (change.kind !== 'signup') return;
      app.hub.announce({
        id: crypto.randomUUID(),
        type: SIGNUP_FEED_TYPE,
        ts: Date.now(),
        nodeId: activity.nodeId,
        nodeName: app.nodeNames.get(activity.nodeId) ?? activity.nodeId,
        who: maskName(change.volunteer.name),
        what: `${activity.title} ${service.board.counts(activity.id).signedUp}/${activity.capacity}`,
        tag: '',
      });
    });
    const prune = setInterval(() => service.board.prune(Date.now()), 3_600_000);
    prune.unref();
    app.addHook('onClose', async () => clearInterval(prune));
  },
  { name: 'activities', dependencies: ['ingest', 'live', 'dispatch', 'network'] },
);
