/**
 * Volunteer accounts (志愿者招募 and the phone login): the bodies the public registration and login
 * take, what a dispatcher reviewing registrations sees, and the pure rules of an account's state
 * (pending → approved | rejected; approved ⇄ disabled). Passwords travel only in these bodies.
 */
import { Type, type Static } from 'typebox';
import { SKILLS } from './candidates.js';
import type { RefusalCode } from './codes.js';

/**
 * Ids of volunteers registered through the phone app (`VR000001`…), apart from the seeded registry's
 * `V000001`…: the ones who can be offered an order and answer it from their phone.
 */
export const APP_VOLUNTEER_PREFIX = 'VR';

/** Mainland mobile numbers, as the registry stores them (11 digits, 1[3-9]…). */
export const PhoneSchema = Type.String({ pattern: '^1[3-9][0-9]{9}$' });
/**
 * Shorter than the console's 12: typed on a phone by people who reach only their own tasks, and
 * behind the same lockout; an SMS code is the way in without one.
 */
export const VOLUNTEER_PASSWORD_MIN = 8;
const Password = Type.String({ minLength: VOLUNTEER_PASSWORD_MIN, maxLength: 256 });
const NodeId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
/** A person's name as written (张伟, 欧阳娜娜, Zhang Wei): no digits, no control characters. */
const PersonName = Type.String({ minLength: 2, maxLength: 32, pattern: '^[^0-9\\u0000-\\u001F\\u007F]+$' });

/** When a volunteer can serve: weekday or weekend × morning, afternoon or evening. */
export const AVAILABILITY = [
  'weekday_morning',
  'weekday_afternoon',
  'weekday_evening',
  'weekend_morning',
  'weekend_afternoon',
  'weekend_evening',
] as const;
export type Availability = (typeof AVAILABILITY)[number];

export const RegistrationBodySchema = Type.Object(
  {
    name: PersonName,
    phone: PhoneSchema,
    password: Password,
    /** The town's 所 and one of its 站 (the station the volunteer serves from). */
    instituteId: NodeId,
    stationId: NodeId,
    skills: Type.Array(Type.Enum(SKILLS), { minItems: 1, maxItems: SKILLS.length, uniqueItems: true }),
    availability: Type.Array(Type.Enum(AVAILABILITY), {
      minItems: 1,
      maxItems: AVAILABILITY.length,
      uniqueItems: true,
    }),
  },
  { additionalProperties: false },
);
export type RegistrationBody = Static<typeof RegistrationBodySchema>;

export const AccountStatus = {
  pending: 'pending',
  approved: 'approved',
  rejected: 'rejected',
  disabled: 'disabled',
} as const;
export type AccountStatus = (typeof AccountStatus)[keyof typeof AccountStatus];

/** What a dispatcher does to an account. */
export const AccountAction = { approve: 'approve', reject: 'reject', disable: 'disable', enable: 'enable' } as const;
export type AccountAction = (typeof AccountAction)[keyof typeof AccountAction];

/** The state each action leaves, and the states it may be taken from. */
const MOVES: Record<AccountAction, { from: readonly AccountStatus[]; to: AccountStatus }> = {
  approve: { from: ['pending'], to: 'approved' },
  reject: { from: ['pending'], to: 'rejected' },
  disable: { from: ['approved'], to: 'disabled' },
  enable: { from: ['disabled'], to: 'approved' },
};

export const VolunteerCode = {
  phoneTaken: 'VOLUNTEER_PHONE_TAKEN',
  notFound: 'VOLUNTEER_NOT_FOUND',
  badMove: 'VOLUNTEER_BAD_STATE',
  badPlace: 'VOLUNTEER_BAD_PLACE',
  pending: 'VOLUNTEER_PENDING',
  rejected: 'VOLUNTEER_REJECTED',
  reasonRequired: 'VOLUNTEER_REASON_REQUIRED',
} as const satisfies Record<string, RefusalCode>;
export type VolunteerCode = (typeof VolunteerCode)[keyof typeof VolunteerCode];

/** The status after `action`, or why it cannot be taken (a rejection needs a reason). */
export function nextStatus(
  status: AccountStatus,
  action: AccountAction,
  reason: string,
): { ok: true; status: AccountStatus } | { ok: false; code: VolunteerCode } {
  const move = MOVES[action];
  if (!move.from.includes(status)) return { ok: false, code: VolunteerCode.badMove };
  if (action === 'reject' && reason.trim() === '') return { ok: false, code: VolunteerCode.reasonRequired };
  return { ok: true, status: move.to };
}

export const DecisionBodySchema = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 200, pattern: '^[^\\u0000-\\u0008\\u000B-\\u001F\\u007F]*$' })) },
  { additionalProperties: false },
);
export type DecisionBody = Static<typeof DecisionBodySchema>;

/** An account as the console's 志愿者招募 list shows it. */
export const AccountInfoSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  /** In full only to a dispatcher of the volunteer's town deciding a pending registration; masked otherwise. */
  phone: Type.String(),
  instituteId: Type.String(),
  stationId: Type.String(),
  skills: Type.Array(Type.String()),
  availability: Type.Array(Type.String()),
  status: Type.Enum(Object.values(AccountStatus)),
  /** A rejection's reason; '' otherwise. */
  reason: Type.String(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});
export type AccountInfo = Static<typeof AccountInfoSchema>;
export const AccountListSchema = Type.Object({ accounts: Type.Array(AccountInfoSchema) });
export type AccountList = Static<typeof AccountListSchema>;

export const RegisteredSchema = Type.Object({ id: Type.String(), status: Type.Enum(Object.values(AccountStatus)) });
export type Registered = Static<typeof RegisteredSchema>;

export const VolunteerLoginBodySchema = Type.Object(
  { phone: PhoneSchema, password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);
export type VolunteerLoginBody = Static<typeof VolunteerLoginBodySchema>;

export const SmsRequestBodySchema = Type.Object({ phone: PhoneSchema }, { additionalProperties: false });
export type SmsRequestBody = Static<typeof SmsRequestBodySchema>;
export const SmsLoginBodySchema = Type.Object(
  { phone: PhoneSchema, code: Type.String({ pattern: '^[0-9]{6}$' }) },
  { additionalProperties: false },
);
export type SmsLoginBody = Static<typeof SmsLoginBodySchema>;

/** The towns and stations a registration may name, with the skills: the public form's choices. */
export const FieldOptionsSchema = Type.Object({
  towns: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      stations: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
    }),
  ),
  skills: Type.Array(Type.String()),
  availability: Type.Array(Type.String()),
});
export type FieldOptions = Static<typeof FieldOptionsSchema>;

/** The volunteer themself (`GET /api/v1/field/me`): their own phone masked too (a shared phone screen). */
export const FieldMeSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  phone: Type.String(),
  instituteId: Type.String(),
  instituteName: Type.String(),
  stationId: Type.String(),
  stationName: Type.String(),
  skills: Type.Array(Type.String()),
  availability: Type.Array(Type.String()),
});
export type FieldMe = Static<typeof FieldMeSchema>;
