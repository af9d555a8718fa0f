/**
 * Who may do what: roles, scopes, the auth HTTP bodies and the pure scope check used by server and
 * client alike. People (dispatcher, leader, admin) log in; walls and devices hold revocable tokens;
 * volunteers log in on their phones with their phone number (server/volunteers/).
 */
import { Type, type Static } from 'typebox';
import type { RefusalCode } from './codes.js';

export const Role = {
  /** A wall screen: reads the live picture, never acts. */
  wall: 'wall',
  /** Dispatches orders and appeals within its scope (a town or the whole district). */
  dispatcher: 'dispatcher',
  /** Leadership: reads KPIs and rankings, never dispatches. */
  leader: 'leader',
  admin: 'admin',
  /** A device or integration that sends events. */
  device: 'device',
  /**
   * A registered volunteer on their phone (掌上终端): the principal's id is their id in the
   * `volunteers` registry, its scope their town. Reaches only their own tasks and record.
   */
  volunteer: 'volunteer',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

/** Roles a person logs in with; walls and devices are machines and hold tokens. */
export const PERSON_ROLES = [Role.dispatcher, Role.leader, Role.admin] as const;
/** Roles a token can carry. */
export const TOKEN_ROLES = [Role.wall, Role.device] as const;

/** Reading the wall's picture: network, KPIs, the live socket. */
export const READ_ROLES = [Role.wall, Role.leader, Role.dispatcher, Role.admin] as const;
/** Sending events (HTTP and the `/ingest` socket). */
export const INGEST_ROLES = [Role.device, Role.admin] as const;
export const METRICS_ROLES = [Role.admin, Role.device] as const;
export const ADMIN_ROLES = [Role.admin] as const;
/** The dispatch console: its routes and its `/dispatch` socket. */
export const DISPATCH_ROLES = [Role.dispatcher, Role.admin] as const;
/** The phone app's own routes and its `/field` socket: a volunteer's tasks and record, nothing else. */
export const VOLUNTEER_ROLES = [Role.volunteer] as const;

/** The whole district; any other scope is one town, named by its 所 (institute) id, e.g. `I03`. */
export const DISTRICT = 'district';
export const ScopeSchema = Type.String({ pattern: '^(district|I[0-9]{2,3})$' });

export const PrincipalKind = { user: 'user', token: 'token', public: 'public' } as const;
export type PrincipalKind = (typeof PrincipalKind)[keyof typeof PrincipalKind];

/** Whoever is making a request, as `GET /api/auth/me` answers it. */
export const PrincipalSchema = Type.Object({
  kind: Type.Enum(Object.values(PrincipalKind)),
  /** Username, token id, or `public` for an anonymous public display. */
  id: Type.String(),
  name: Type.String(),
  role: Type.Enum(Object.values(Role)),
  scope: ScopeSchema,
});
export type Principal = Static<typeof PrincipalSchema>;

export const LoginBodySchema = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBodySchema>;

export const TokenCreateBodySchema = Type.Object(
  {
    role: Type.Enum(TOKEN_ROLES),
    /** Where the screen hangs or what the device is, e.g. "指挥中心主屏". */
    label: Type.String({ minLength: 1, maxLength: 80 }),
    scope: Type.Optional(ScopeSchema),
    /** The dashboard a wall token's screen opens with (its link's `?dashboard=`); walls only. */
    dashboard: Type.Optional(Type.String({ pattern: '^[a-z0-9-]{1,40}$' })),
  },
  { additionalProperties: false },
);
export type TokenCreateBody = Static<typeof TokenCreateBodySchema>;

/** A token as listed: never the secret, which is shown once at creation and stored only hashed. */
export const TokenInfoSchema = Type.Object({
  id: Type.String(),
  role: Type.Enum(TOKEN_ROLES),
  scope: ScopeSchema,
  label: Type.String(),
  /** Absent on device tokens and on wall tokens made before screens had one. */
  dashboard: Type.Optional(Type.String()),
  createdAt: Type.Integer(),
  createdBy: Type.String(),
  revokedAt: Type.Union([Type.Integer(), Type.Null()]),
});
export type TokenInfo = Static<typeof TokenInfoSchema>;

export const TokenCreatedSchema = Type.Object({
  /** The secret: give it to the screen (`/#token=…`) or device now; it cannot be shown again. */
  token: Type.String(),
  info: TokenInfoSchema,
});
export type TokenCreated = Static<typeof TokenCreatedSchema>;

/** The wall's URL parameter carrying its token. */
export const TOKEN_PARAM = 'token';
export const SESSION_COOKIE = 'wmsj_session';

/** Auth error codes a client branches on (HTTP bodies and socket `connect_error` data). */
export const AuthCode = {
  unauthenticated: 'AUTH_UNAUTHENTICATED',
  forbidden: 'AUTH_FORBIDDEN',
  invalidCredentials: 'AUTH_INVALID_CREDENTIALS',
  lockedOut: 'AUTH_LOCKED_OUT',
  accountDisabled: 'AUTH_ACCOUNT_DISABLED',
} as const satisfies Record<string, RefusalCode>;
export type AuthCode = (typeof AuthCode)[keyof typeof AuthCode];

export const hasRole = (principal: Pick<Principal, 'role'>, roles: readonly Role[]): boolean =>
  roles.includes(principal.role);

/**
 * May this principal act (dispatch, reassign, close) on something belonging to the town whose 所 is
 * `instituteId`? `''` stands for the district center itself, which only district scope covers.
 * Walls, leaders and devices never act.
 */
export function canActOn(principal: Pick<Principal, 'role' | 'scope'>, instituteId: string): boolean {
  switch (principal.role) {
    case Role.admin:
      return true;
    case Role.dispatcher:
      return principal.scope === DISTRICT || (instituteId !== '' && principal.scope === instituteId);
    // A volunteer acts only on orders offered to or claimed by them, checked by the dispatch
    // service on each command (server/dispatch/decide-command.ts), never by town.
    case Role.wall:
    case Role.leader:
    case Role.device:
    case Role.volunteer:
      return false;
  }
}

/** One line of the security audit trail (`GET /api/v1/audit`, admin only), newest first. */
export const AuditRecordSchema = Type.Object({
  ts: Type.String(),
  /** `auth.login`, `personal.view`, `emergency.on`, … */
  action: Type.String(),
  actor: Type.String(),
  result: Type.Union([Type.Literal('ok'), Type.Literal('refused')]),
  ip: Type.Optional(Type.String()),
  subject: Type.Optional(Type.String()),
});
export type AuditRecord = Static<typeof AuditRecordSchema>;
