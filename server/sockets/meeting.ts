/**
 * The `/meeting` namespace: a leader's or admin's tablet takes a group of walls, drives it and
 * releases it (shared/meeting-schemas.ts). A wall token or a dispatcher that reaches it is refused
 * at the handshake, and the refusal is audited: only people at the meeting drive the walls.
 */
import type { Namespace } from 'socket.io';
import { Compile } from 'typebox/compile';
import { CONTROL_ROLES, MeetingCode, type ControlRole, type Controller } from '../../shared/meeting.js';
import {
  CommandSchema,
  ReleaseSchema,
  TakeSchema,
  type GroupList,
  type MeetingClientToServer,
  type MeetingServerToClient,
} from '../../shared/meeting-schemas.js';
import { fail, type Result } from '../../shared/result.js';
import { AuditAction, type AuditEntry } from '../auth/audit.js';
import type { SocketAuth } from '../auth/rooms.js';
import { Errors } from '../errors.js';
import type { MeetingService } from '../meeting/service.js';

const checkTake = Compile(TakeSchema);
const checkCommand = Compile(CommandSchema);
const checkRelease = Compile(ReleaseSchema);
const TABLET = /^[A-Za-z0-9-]{8,64}$/;

export interface MeetingSocketDeps {
  service: MeetingService;
  /** Whether a group has screens in it (a name nobody assigned is no group). */
  known: (group: string) => boolean;
  groups: () => Promise<GroupList>;
  audit: (entry: AuditEntry) => void;
}

const isControlRole = (role: string): role is ControlRole => CONTROL_ROLES.some((r) => r === role);
const invalid = (what: string) => fail('REQ_VALIDATION', `expected ${what}`);

export function serveMeeting(
  ns: Namespace<MeetingClientToServer, MeetingServerToClient>,
  { service, known, groups, audit }: MeetingSocketDeps,
): void {
  // After the guard (any reading role passes it): the refusal of a wall or a dispatcher is on the record.
  ns.use((socket, next) => {
    const principal = (socket.data as SocketAuth).principal;
    if (isControlRole(principal.role)) return next();
    audit({
      action: AuditAction.meetingTake,
      actor: principal.id,
      result: 'refused',
      subject: `${principal.role} at /meeting`,
      ip: socket.handshake.address,
    });
    const refused = new Errors.FORBIDDEN('drive the walls');
    next(Object.assign(refused, { data: { code: refused.code } }));
  });

  ns.on('connection', (socket) => {
    const principal = (socket.data as SocketAuth).principal;
    if (!isControlRole(principal.role)) return void socket.disconnect(true);
    const tablet: unknown = socket.handshake.auth['tablet'];
    const by: Controller = {
      // A tablet names itself (kept in its session storage) so that a reconnect resumes its hold.
      id: `${principal.id}/${typeof tablet === 'string' && TABLET.test(tablet) ? tablet : socket.id}`,
      user: principal.id,
      name: principal.name,
      role: principal.role,
    };
    const ip = socket.handshake.address;
    /** Groups this socket took: a disconnect starts their grace. */
    const holding = new Set<string>();
    /** Answers `ack` with what `run` decides on the payload (a socket.io handler returns nothing). */
    const handle =
      (run: (payload: unknown) => Promise<Result<unknown>> | Result<unknown>) => (payload: unknown, ack: unknown) =>
        void Promise.resolve(run(payload)).then((result) => {
          if (typeof ack === 'function') (ack as (r: Result<unknown>) => void)(result);
        });
    const unknown = (group: string) => fail(MeetingCode.unknownGroup, `no screen group ${group}`);

    socket.on(
      'meeting:take',
      handle(async (take) => {
        if (!checkTake.Check(take)) return invalid('{ group, view, from? }');
        if (!known(take.group)) return unknown(take.group);
        const act =
          take.from === undefined
            ? ({ type: 'take', by, view: take.view } as const)
            : ({ type: 'takeover', by, from: take.from, view: take.view } as const);
        const result = await service.act(take.group, act, ip);
        if (result.ok) holding.add(take.group);
        return result;
      }),
    );
    socket.on(
      'meeting:command',
      handle((command) =>
        checkCommand.Check(command)
          ? service.act(command.group, { type: 'command', by, view: command.view }, ip)
          : invalid('{ group, view }'),
      ),
    );
    socket.on(
      'meeting:release',
      handle((release) => {
        if (!checkRelease.Check(release)) return invalid('{ group }');
        holding.delete(release.group);
        return service.act(release.group, { type: 'release', by }, ip);
      }),
    );
    socket.on('disconnect', () => {
      for (const group of holding) void service.act(group, { type: 'lost', by }, ip);
    });
    void groups().then((list) => socket.emit('meeting:groups', list));
  });
}
