/**
 * The wire of meeting control (shared/meeting.ts): the `/meeting` socket's contract for tablets,
 * the payload a wall of a driven group gets on `/live` (`live:meeting`), the screen-group routes.
 * Every payload is checked with these schemas on the server and on the client.
 */
import { Type, type Static } from 'typebox';
import type { Result } from './result.js';
import { ReplayStateSchema } from './replay.js';
import { CONTROL_ROLES, type GroupHold, type WallMeeting } from './meeting.js';

/** A group's name as people say it: 主屏, 左屏, 右屏, 会议室大屏 … */
export const GroupNameSchema = Type.String({ minLength: 1, maxLength: 20, pattern: '^\\S(.*\\S)?$' });
const NodeId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,40}$' });
const PanelId = Type.String({ pattern: '^[a-z0-9-]{1,40}$' });

export const MeetingHeatSchema = Type.Object(
  {
    window: Type.Enum(['1h', '6h', '24h']),
    source: Type.Enum(['all', 'appeals', 'orders']),
    category: Type.Enum(['all', 'consult', 'complaint', 'suggestion']),
  },
  { additionalProperties: false },
);

export const MeetingViewSchema = Type.Object(
  {
    dashboard: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }),
    scope: Type.Union([NodeId, Type.Null()]),
    card: Type.Union([NodeId, Type.Null()]),
    windows: Type.Record(PanelId, Type.String({ pattern: '^[a-z0-9]{1,8}$' }), { maxProperties: 24 }),
    heat: Type.Union([MeetingHeatSchema, Type.Null()]),
    replay: Type.Optional(Type.Union([ReplayStateSchema, Type.Null()])),
  },
  { additionalProperties: false },
);

const ControlRoleSchema = Type.Enum([...CONTROL_ROLES]);
export const ControllerSchema = Type.Object({
  id: Type.String(),
  user: Type.String(),
  name: Type.String(),
  role: ControlRoleSchema,
});

export const GroupHoldSchema = Type.Object({
  group: Type.String(),
  holder: Type.Union([ControllerSchema, Type.Null()]),
  view: Type.Union([MeetingViewSchema, Type.Null()]),
  version: Type.Integer(),
  since: Type.Integer(),
  lostAt: Type.Union([Type.Integer(), Type.Null()]),
});

export const WallMeetingSchema = Type.Object({
  group: Type.String(),
  version: Type.Integer(),
  driven: Type.Union([Type.Object({ role: ControlRoleSchema }), Type.Null()]),
  view: Type.Union([MeetingViewSchema, Type.Null()]),
});

/** Take a group; with `from` (the holder the tablet was shown and confirmed), take it over. */
export const TakeSchema = Type.Object(
  { group: GroupNameSchema, view: MeetingViewSchema, from: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);
export type Take = Static<typeof TakeSchema>;
export const CommandSchema = Type.Object(
  { group: GroupNameSchema, view: MeetingViewSchema },
  { additionalProperties: false },
);
export type Command = Static<typeof CommandSchema>;
export const ReleaseSchema = Type.Object({ group: GroupNameSchema }, { additionalProperties: false });
export type Release = Static<typeof ReleaseSchema>;

/** A group as the tablet lists it: its walls connected now and its hold. */
export const GroupInfoSchema = Type.Object({
  group: Type.String(),
  screens: Type.Integer({ minimum: 0 }),
  hold: GroupHoldSchema,
});
export type GroupInfo = Static<typeof GroupInfoSchema>;
export const GroupListSchema = Type.Object({ groups: Type.Array(GroupInfoSchema) });
export type GroupList = Static<typeof GroupListSchema>;

/** The admin's screen list: which wall token is in which group. */
export const ScreenGroupSchema = Type.Object({ tokenId: Type.String(), group: Type.String() });
export type ScreenGroup = Static<typeof ScreenGroupSchema>;
export const ScreenGroupListSchema = Type.Object({ assignments: Type.Array(ScreenGroupSchema) });
export type ScreenGroupList = Static<typeof ScreenGroupListSchema>;
export const ScreenGroupBodySchema = Type.Object(
  { group: Type.Union([GroupNameSchema, Type.Null()]) },
  { additionalProperties: false },
);
export type ScreenGroupBody = Static<typeof ScreenGroupBodySchema>;
export const TokenIdParamsSchema = Type.Object({ tokenId: Type.String({ pattern: '^t-[0-9a-f]{12}$' }) });

export interface MeetingServerToClient {
  /** Every group's state, on connect. */
  'meeting:groups': (list: GroupList) => void;
  /** A group's hold changed (taken, driven, released, timed out): to every tablet. */
  'meeting:hold': (hold: GroupHold) => void;
}
export interface MeetingClientToServer {
  'meeting:take': (take: Take, ack: (result: Result<GroupHold>) => void) => void;
  'meeting:command': (command: Command, ack: (result: Result<GroupHold>) => void) => void;
  'meeting:release': (release: Release, ack: (result: Result<GroupHold>) => void) => void;
}

export const MEETING_NAMESPACE = '/meeting';
/** The `/live` room of a group's walls. */
export const groupRoom = (group: string): string => `meeting:${group}`;
export type { WallMeeting };
