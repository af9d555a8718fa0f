/**
 * Every code a client can be answered with, in one registry (after fastify's lib/errors.js): a
 * refusal beside the HTTP status it is answered with (socket acks carry the same code), or the
 * place a code is reported instead of an HTTP answer. The server's error classes
 * (server/errors.ts) are made from it and the client's words (client/i18n `errors`) are checked
 * against it, so a new code without a status or without words fails the type check.
 * Free of schemas, so the wall's bundle can import it without pulling in TypeBox.
 */
export const CODES = {
  // request
  REQ_VALIDATION: 400,
  REQ_BODY_TOO_LARGE: 413,
  REQ_UNSUPPORTED_MEDIA: 415,
  REQ_TIMEOUT: 408,
  /** A path parameter longer than the router takes (Fastify's maxParamLength). */
  REQ_URI_TOO_LONG: 414,
  REQ_NOT_FOUND: 404,
  REQ_RATE_LIMITED: 429,
  /** app.ts's answer to a client error that came without a code of its own (its status is kept). */
  REQ_INVALID: 400,
  /** Any 5xx but 503: the detail stays in the log. */
  INTERNAL: 500,
  // auth
  AUTH_UNAUTHENTICATED: 401,
  AUTH_FORBIDDEN: 403,
  AUTH_INVALID_CREDENTIALS: 401,
  AUTH_LOCKED_OUT: 429,
  AUTH_ACCOUNT_DISABLED: 403,
  AUTH_TOKEN_NOT_FOUND: 404,
  AUTH_TOKEN_CONFIGURED: 409,
  // accounts (the admin console)
  ADMIN_USER_NOT_FOUND: 404,
  ADMIN_USER_EXISTS: 409,
  ADMIN_USER_INVALID: 400,
  ADMIN_LAST_ADMIN: 409,
  ADMIN_SELF_DISABLE: 409,
  // ingest
  INGEST_BACKPRESSURE: 503,
  INGEST_BATCH_TOO_LARGE: 413,
  // live
  LIVE_UNKNOWN_SCOPE: 400,
  // 回放 (shared/replay.ts): an empty or future period; a command with no replay running
  REPLAY_BAD_PERIOD: 400,
  REPLAY_NOT_STARTED: 409,
  // sockets (answered in acks; the status says what kind of refusal it is)
  SOCKET_RATE_LIMITED: 429,
  SOCKET_TOO_MANY_CONNECTIONS: 429,
  // dispatch: the state machine's (shared/orders.ts) and the service's
  ORDER_NOT_FOUND: 404,
  ORDER_STALE_VERSION: 409,
  ORDER_ILLEGAL_TRANSITION: 409,
  ORDER_DOUBLE_BOOKING: 409,
  ORDER_UNKNOWN_TARGET: 400,
  ORDER_TARGET_OUT_OF_TOWN: 400,
  ORDER_INVALID_SCORE: 400,
  // privacy
  CONTACT_NOT_FOUND: 404,
  // the team and volunteer board
  TEAM_NOT_FOUND: 404,
  // activities: 活动报名 and 签到 (shared/activities.ts) and publishing them
  ACTIVITY_NOT_FOUND: 404,
  ACTIVITY_CANCELLED: 409,
  ACTIVITY_FULL: 409,
  ACTIVITY_ENDED: 409,
  ACTIVITY_NOT_SIGNED_UP: 409,
  ACTIVITY_OUTSIDE_WINDOW: 409,
  ACTIVITY_NOT_CHECKED_IN: 409,
  ACTIVITY_ALREADY_CHECKED_IN: 409,
  ACTIVITY_INVALID: 400,
  /** A queued scan sent back later than the phone may keep one (shared/activities.ts SCAN_MAX_AGE_MS). */
  ACTIVITY_SCAN_TOO_OLD: 409,
  ACTIVITY_UNKNOWN_PLACE: 400,
  ACTIVITY_UNKNOWN_BRAND: 400,
  ACTIVITY_PLACE_OUT_OF_TOWN: 403,
  // dashboards and emergency mode
  DASHBOARD_NOT_FOUND: 404,
  EMERGENCY_MESSAGE_REQUIRED: 400,
  // volunteers' accounts (志愿者招募, the phone login) and their tasks (the /field socket)
  VOLUNTEER_PHONE_TAKEN: 409,
  VOLUNTEER_NOT_FOUND: 404,
  VOLUNTEER_BAD_STATE: 409,
  VOLUNTEER_BAD_PLACE: 400,
  VOLUNTEER_PENDING: 403,
  VOLUNTEER_REJECTED: 403,
  VOLUNTEER_REASON_REQUIRED: 400,
  FIELD_NOT_YOURS: 403,
  FIELD_NO_APP: 409,
  FIELD_OFFER_NOT_FOUND: 404,
  // exports: a public display is open to anyone on the network, and an export is a copy taken away
  EXPORT_PUBLIC_DISPLAY: 401,
  // meeting control from a tablet (shared/meeting.ts): a group of walls held by one controller
  MEETING_GROUP_HELD: 409,
  MEETING_NOT_HOLDER: 409,
  MEETING_NOT_EXPIRED: 409,
  MEETING_UNKNOWN_GROUP: 404,
  // 一月一评估: weights versions (shared/evaluation-weights.ts) and the reports (shared/report.ts)
  WEIGHTS_INVALID: 400,
  WEIGHTS_STALE_VERSION: 409,
  REPORT_NOT_FOUND: 404,
  /** A period not yet over (a report covers a closed month, half-year or year) or before the data. */
  REPORT_BAD_PERIOD: 400,
  REPORT_UNKNOWN_WEIGHTS: 400,
  /** Chromium could not print the report (missing, or it failed): the detail is in the log. */
  REPORT_RENDER_FAILED: 503,
  // store
  STORE_UNAVAILABLE: 503,
  /** Several nodes: Redis, where they share accounts, tokens, lockouts and order versions, did not answer. */
  SHARED_UNAVAILABLE: 503,
  // backups
  BACKUP_IN_PROGRESS: 409,
  BACKUP_EXTERNAL_STORE: 409,
  // the public pages (citizens, no account)
  PUBLIC_NODE_NOT_FOUND: 404,
  /** A poster of another county (its adcode is not this one's). */
  PUBLIC_NODE_OTHER_COUNTY: 404,
  /** 点单 is taken at a 站 or 点, not at a 中心 or 所. */
  PUBLIC_NOT_ORDERABLE: 400,
  PUBLIC_WINDOW_INVALID: 400,
  /** One answer for an unknown, malformed or guessed tracking token. */
  TRACK_NOT_FOUND: 404,
  TRACK_ALREADY_RATED: 409,
  TRACK_NOT_RATABLE: 409,

  // Per-event rejections in an ingest result: the batch itself is answered 200.
  EVENT_INVALID: 'event',
  EVENT_UNKNOWN_NODE: 'event',
  EVENT_FROM_FUTURE: 'event',
  EVENT_DUPLICATE_IN_BATCH: 'event',
  /** An `order.transition` from a device: orders change only through the dispatch service's state machine. */
  EVENT_ORDER_VIA_DISPATCH: 'event',
  // Warnings on an accepted dispatch command.
  VOLUNTEER_DOUBLE_BOOKED: 'warning',
  // The dispatch console's own refusals, given before (or instead of) a server answer.
  LOCAL_PENDING: 'local',
  LOCAL_NO_ANSWER: 'local',
  LOCAL_OFFLINE: 'local',
  LOCAL_SAME_TARGET: 'local',
  LOCAL_STAFFED: 'local',
  LOCAL_CENTER_ONLY: 'local',
  LOCAL_NO_TARGET: 'local',
} as const;

type Registry = typeof CODES;
export type Code = keyof Registry;
type CodeOf<Where> = { [C in Code]: Registry[C] extends Where ? C : never }[Code];
/** Codes a request or command is refused with as a whole: each has an HTTP status. */
export type RefusalCode = CodeOf<number>;
export type EventRejectionCode = CodeOf<'event'>;
export type WarningCode = CodeOf<'warning'>;
export type LocalCode = CodeOf<'local'>;
/** Codes a person can be shown: every one has words in client/i18n (`errors`). */
export type WordedCode = Exclude<Code, EventRejectionCode>;

export const isCode = (code: string): code is Code => Object.hasOwn(CODES, code);

/** The HTTP status of a refusal's code; undefined for a code that is not a refusal (or unknown). */
export function statusOf(code: string): number | undefined {
  if (!isCode(code)) return undefined;
  const status = CODES[code];
  return typeof status === 'number' ? status : undefined;
}

/** Per-event rejection codes in ingest results (not HTTP errors: the request itself succeeds). */
export const EventRejection = {
  INVALID: 'EVENT_INVALID',
  UNKNOWN_NODE: 'EVENT_UNKNOWN_NODE',
  FROM_FUTURE: 'EVENT_FROM_FUTURE',
  DUPLICATE_IN_BATCH: 'EVENT_DUPLICATE_IN_BATCH',
  ORDER_VIA_DISPATCH: 'EVENT_ORDER_VIA_DISPATCH',
} as const satisfies Record<string, EventRejectionCode>;
