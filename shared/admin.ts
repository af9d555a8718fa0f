/**
 * The admin console's accounts API (`/api/v1/admin/…`, admin role only): the bodies it accepts,
 * what it answers, and the pure account check the server's users file and the console's form share.
 * Passwords travel only in these bodies; what is stored and listed never holds one, nor its hash.
 */
import { Type, type Static } from 'typebox';
import { DISTRICT, PERSON_ROLES, Role, ScopeSchema } from './auth.js';

/** A new account's or a reset password: long enough to resist guessing offline at Argon2's cost. */
export const PASSWORD_MIN_LENGTH = 12;
export const PasswordSchema = Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: 256 });
export const UsernameSchema = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.@-]+$' });

export const UserCreateBodySchema = Type.Object(
  {
    username: UsernameSchema,
    /** Shown in the console and on the audit trail; defaults to the username. */
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    role: Type.Enum(PERSON_ROLES),
    /** A dispatcher's town (its 所 id, e.g. `I03`) or `district`; required for a dispatcher. */
    scope: Type.Optional(ScopeSchema),
    password: PasswordSchema,
  },
  { additionalProperties: false },
);
export type UserCreateBody = Static<typeof UserCreateBodySchema>;

export const PasswordResetBodySchema = Type.Object({ password: PasswordSchema }, { additionalProperties: false });
export type PasswordResetBody = Static<typeof PasswordResetBodySchema>;

export const UsernameParamsSchema = Type.Object({ username: UsernameSchema });

/** An account as the console lists it. */
export const UserInfoSchema = Type.Object({
  username: Type.String(),
  name: Type.String(),
  role: Type.Enum(PERSON_ROLES),
  scope: ScopeSchema,
  /** A disabled account cannot log in; its sessions and sockets ended when it was disabled. */
  disabled: Type.Boolean(),
  /** Epoch ms until which logins are refused from at least one address; null when not locked out. */
  lockedOutUntil: Type.Union([Type.Integer(), Type.Null()]),
  /** Epoch ms; null for accounts written before creation times were kept (or by hand). */
  createdAt: Type.Union([Type.Integer(), Type.Null()]),
});
export type UserInfo = Static<typeof UserInfoSchema>;

export const UserListSchema = Type.Object({ users: Type.Array(UserInfoSchema) });
export type UserList = Static<typeof UserListSchema>;

/** One username locked out from one address (5 failures in 15 minutes). */
export const LockoutInfoSchema = Type.Object({
  /** As typed at login (lower-cased): it need not be an existing account. */
  username: Type.String(),
  ip: Type.String(),
  /** Failed logins counted in the window. */
  failures: Type.Integer(),
  /** Epoch ms when the lockout ends by itself. */
  until: Type.Integer(),
});
export type LockoutInfo = Static<typeof LockoutInfoSchema>;

export const LockoutListSchema = Type.Object({ lockouts: Type.Array(LockoutInfoSchema) });
export type LockoutList = Static<typeof LockoutListSchema>;

export const UnlockResultSchema = Type.Object({
  username: Type.String(),
  /** Addresses whose lockout (or counted failures) for this username were cleared. */
  cleared: Type.Integer(),
});
export type UnlockResult = Static<typeof UnlockResultSchema>;

/** Why an account's role and scope do not fit together, or null when they do. */
export function accountProblem(
  account: { role: Role; scope?: string | undefined },
  towns: ReadonlySet<string>,
): string | null {
  if (account.role === Role.dispatcher && account.scope === undefined)
    return 'a dispatcher needs a scope (a town or district)';
  const scope = account.scope ?? DISTRICT;
  if (scope !== DISTRICT && !towns.has(scope)) return `scope ${scope} is not a town of this network`;
  return null;
}
