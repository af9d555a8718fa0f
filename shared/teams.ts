/**
 * The console's team and volunteer board (队伍 / 志愿者): the county's volunteers in the articles'
 * hierarchy — 总队 (the county) → 支队 (a town, its 所) → 小队 (a village's or community's team of one
 * speciality; 1,400 in Shuangliu) — with who is on duty, where, on what, and how much today. A town's
 * dispatcher reads only its own 支队; names come masked, as the candidates' do.
 */
import { Type, type Static } from 'typebox';
import { OrderState } from './events.js';

/** 在岗 (checked in at an activity now), 服务中 (on an order someone is on), 空闲 (neither). */
export const MemberStatus = { on_duty: 'on_duty', serving: 'serving', idle: 'idle' } as const;
export type MemberStatus = (typeof MemberStatus)[keyof typeof MemberStatus];

/** A 小队's id: 支队:队:专业队, e.g. `I03:S045:T07` (seed/volunteers.ts). */
export const TeamIdSchema = Type.String({ pattern: '^I[0-9]{2,3}:[A-Z][0-9]{1,5}:T[0-9]{1,3}$', maxLength: 32 });
const Town = Type.String({ pattern: '^I[0-9]{2,3}$' });

const figures = {
  members: Type.Integer({ minimum: 0 }),
  onDuty: Type.Integer({ minimum: 0 }),
  serving: Type.Integer({ minimum: 0 }),
  idle: Type.Integer({ minimum: 0 }),
  /** Orders taken (接单) today by the members or the team as a whole. */
  ordersToday: Type.Integer({ minimum: 0 }),
};

export const TeamSchema = Type.Object({
  id: Type.String(),
  /** The village or community station the team belongs to. */
  stationId: Type.String(),
  /** The speciality its members share (shared/candidates.ts SKILLS), '' when none is common. */
  skill: Type.String(),
  ...figures,
});
export type Team = Static<typeof TeamSchema>;

export const BranchSchema = Type.Object({ id: Type.String(), teams: Type.Integer({ minimum: 0 }), ...figures });
export type Branch = Static<typeof BranchSchema>;

export const TeamBoardQuerySchema = Type.Object({ town: Type.Optional(Town) }, { additionalProperties: false });
export type TeamBoardQuery = Static<typeof TeamBoardQuerySchema>;

export const TeamBoardSchema = Type.Object({
  at: Type.Integer(),
  /** 总队: the county's sums, for the district's dispatchers only; null for a town's. */
  corps: Type.Union([Type.Object({ teams: Type.Integer({ minimum: 0 }), ...figures }), Type.Null()]),
  /** 支队 in the caller's scope: every town for the district, its own for a town. */
  branches: Type.Array(BranchSchema),
  /** The town whose 小队 are listed ('' when none was asked for), and its teams, busiest first. */
  town: Type.String(),
  teams: Type.Array(TeamSchema),
});
export type TeamBoard = Static<typeof TeamBoardSchema>;

export const TeamMembersQuerySchema = Type.Object({ team: TeamIdSchema }, { additionalProperties: false });
export type TeamMembersQuery = Static<typeof TeamMembersQuerySchema>;

export const TeamMemberSchema = Type.Object({
  id: Type.String(),
  /** Masked (shared/mask.ts); the full name only through the audited contact route. */
  name: Type.String(),
  status: Type.Enum(Object.values(MemberStatus)),
  /** Home station (所在站). */
  stationId: Type.String(),
  /** Where the last check-in within CHECKIN_FRESH_MS placed them, and when; null when none. */
  checkin: Type.Union([Type.Object({ nodeId: Type.String(), at: Type.Integer() }), Type.Null()]),
  /** The order they are on now (the newest if several); its title masked. */
  order: Type.Union([
    Type.Object({ id: Type.String(), title: Type.String(), state: Type.Enum(Object.values(OrderState)) }),
    Type.Null(),
  ]),
  ordersToday: Type.Integer({ minimum: 0 }),
});
export type TeamMember = Static<typeof TeamMemberSchema>;

export const TeamMembersSchema = Type.Object({
  at: Type.Integer(),
  team: TeamSchema,
  members: Type.Array(TeamMemberSchema),
});
export type TeamMembers = Static<typeof TeamMembersSchema>;

/** A member's status from the facts the board reads: someone on an order is serving, before being on duty. */
export function memberStatus(onOrder: boolean, checkedIn: boolean): MemberStatus {
  if (onOrder) return MemberStatus.serving;
  return checkedIn ? MemberStatus.on_duty : MemberStatus.idle;
}
