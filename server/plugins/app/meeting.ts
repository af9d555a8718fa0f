import fp from 'fastify-plugin';
import type { Namespace } from 'socket.io';
import { READ_ROLES } from '../../../shared/auth.js';
import { LIVE_NAMESPACE, type LiveClientToServer, type LiveServerToClient } from '../../../shared/live.js';
import { freeHold, wallMeeting, type MeetingTransition } from '../../../shared/meeting.js';
import {
  groupRoom,
  MEETING_NAMESPACE,
  type GroupList,
  type MeetingClientToServer,
  type MeetingServerToClient,
} from '../../../shared/meeting-schemas.js';
import { credentialRoom, type SocketAuth } from '../../auth/rooms.js';
import { ScreenGroups } from '../../meeting/groups.js';
import { MemoryHolds, RedisHolds } from '../../meeting/holds.js';
import { MeetingService } from '../../meeting/service.js';
import { serveMeeting } from '../../sockets/meeting.js';

declare module 'fastify' {
  interface FastifyInstance {
    meeting: MeetingService;
    screenGroups: ScreenGroups;
    /** Every group with its walls connected now (on any node) and its hold. */
    meetingGroups: () => Promise<GroupList>;
    /** Moves a wall token's screens into `group` (null: out of any), on every node. */
    moveScreens: (tokenId: string, from: string | null, to: string | null) => Promise<void>;
  }
}

/** Server-side emit between nodes: a screen's group changed, reload the assignments. */
const RELOAD = 'meeting:reload-groups';
interface NodeEvents {
  [RELOAD]: () => void;
}

/**
 * Meeting control (联席会议): the holds (Redis on several nodes, memory on one), the `/meeting`
 * socket for tablets, and the walls' side on `/live`: a wall whose token is in a group joins its
 * room and is told the group's state as it connects; a change reaches every wall of the group as a
 * room emit, which the Socket.IO adapter carries to walls on any node.
 */
export default fp(
  async (app) => {
    const live: Namespace<LiveClientToServer, LiveServerToClient, NodeEvents> = app.io.of(LIVE_NAMESPACE);
    const tablets: Namespace<MeetingClientToServer, MeetingServerToClient> = app.io.of(MEETING_NAMESPACE);
    const groups = new ScreenGroups(app.store);
    await groups.load();
    const publish = ({ change, hold }: MeetingTransition) => {
      // The walls change with what they show; a lost or resumed tablet changes nothing on them.
      if (change !== 'lost' && change !== 'resume')
        live.to(groupRoom(hold.group)).emit('live:meeting', wallMeeting(hold));
      tablets.emit('meeting:hold', hold);
    };
    const service = new MeetingService({
      holds: app.redis ? new RedisHolds(app.redis) : new MemoryHolds(),
      graceMs: app.config.MEETING_GRACE_MS,
      audit: (entry) => app.auth.audit.record(entry),
      publish,
    });

    const meetingGroups = async (): Promise<GroupList> => {
      const holds = new Map((await service.list()).map((h) => [h.group, h]));
      const names = [...new Set([...groups.names(), ...holds.keys()])];
      const list = await Promise.all(
        names.map(async (group) => ({
          group,
          screens: (await live.in(groupRoom(group)).fetchSockets()).length,
          hold: holds.get(group) ?? freeHold(group),
        })),
      );
      return { groups: list };
    };

    live.on('connection', (socket) => {
      const principal = (socket.data as Partial<SocketAuth>).principal;
      if (principal?.kind !== 'token') return;
      const group = groups.groupOf(principal.id);
      if (group === null) return;
      void socket.join(groupRoom(group));
      void service.read(group).then((hold) => {
        if (socket.connected) socket.emit('live:meeting', wallMeeting(hold));
      });
    });
    live.on(
      RELOAD,
      () => void groups.load().catch((err: unknown) => app.log.warn({ err }, 'screen groups reload failed')),
    );

    const moveScreens = async (tokenId: string, from: string | null, to: string | null) => {
      const screens = live.in(credentialRoom({ kind: 'token', id: tokenId }));
      if (from !== null) screens.socketsLeave(groupRoom(from));
      if (to !== null) screens.socketsJoin(groupRoom(to));
      // A wall leaving a driven group goes back to its playlist; one joining a driven group follows it.
      const hold = to === null ? freeHold('') : await service.read(to);
      screens.emit('live:meeting', wallMeeting(hold));
      // Other nodes (one only with Redis) read the assignment again for walls that connect to them later.
      if (app.redis) live.serverSideEmit(RELOAD);
    };

    // The guard first (any reading role passes it): serveMeeting's own check then audits a wall or a dispatcher.
    tablets.use(app.socketGuard.middleware(READ_ROLES));
    serveMeeting(tablets, {
      service,
      known: (group) => groups.names().includes(group),
      groups: meetingGroups,
      audit: (entry) => app.auth.audit.record(entry),
    });
    // Each node sweeps for tablets away past the grace; the compare-and-set lets one of them expire a hold.
    const sweepMs = Math.min(5_000, Math.max(100, Math.floor(app.config.MEETING_GRACE_MS / 4)));
    const timer = setInterval(() => {
      service.sweep().catch((err: unknown) => app.log.warn({ err }, 'meeting sweep failed'));
    }, sweepMs);
    app.addHook('preClose', () => clearInterval(timer));

    app.decorate('meeting', service);
    app.decorate('screenGroups', groups);
    app.decorate('meetingGroups', meetingGroups);
    app.decorate('moveScreens', moveScreens);
  },
  { name: 'meeting', dependencies: ['live', 'auth', 'clickhouse'] },
);
