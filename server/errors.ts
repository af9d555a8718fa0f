/**
 * Every error a client can see, with a stable code, in one registry grouped by subsystem (after
 * fastify's lib/errors.js). The code and its HTTP status come from shared/codes.ts, which the
 * client's words are checked against too; the English message here is for logs and API callers.
 * Clients get `{ code, message }`, never a stack.
 */
import createError from '@fastify/error';
import { CODES, type RefusalCode } from '../shared/codes.js';

/** An error class for a refusal code, answered with the status the registry gives it. */
const define = <C extends RefusalCode>(code: C, message: string) => createError(code, message, CODES[code]);

export const Errors = {
  // request
  VALIDATION: define('REQ_VALIDATION', '%s'),
  BODY_TOO_LARGE: define('REQ_BODY_TOO_LARGE', 'request body exceeds %s bytes'),
  UNSUPPORTED_MEDIA: define('REQ_UNSUPPORTED_MEDIA', 'content type %s is not accepted'),
  // auth
  UNAUTHENTICATED: define('AUTH_UNAUTHENTICATED', 'a valid token or session is required'),
  FORBIDDEN: define('AUTH_FORBIDDEN', 'this role may not %s'),
  // One answer for an unknown user and a wrong password, so logins cannot probe for usernames.
  INVALID_CREDENTIALS: define('AUTH_INVALID_CREDENTIALS', 'wrong username or password'),
  LOCKED_OUT: define('AUTH_LOCKED_OUT', 'too many failed logins; retry in %s minutes'),
  ACCOUNT_DISABLED: define('AUTH_ACCOUNT_DISABLED', 'this account is disabled; ask an administrator'),
  TOKEN_NOT_FOUND: define('AUTH_TOKEN_NOT_FOUND', 'no token %s'),
  TOKEN_CONFIGURED: define(
    'AUTH_TOKEN_CONFIGURED',
    'token %s comes from the configuration (INGEST_TOKENS or DATA_DIR/ingest-token); change it there',
  ),
  // accounts (the admin console)
  USER_NOT_FOUND: define('ADMIN_USER_NOT_FOUND', 'no account %s'),
  USER_EXISTS: define('ADMIN_USER_EXISTS', 'an account %s exists already'),
  USER_INVALID: define('ADMIN_USER_INVALID', '%s'),
  LAST_ADMIN: define('ADMIN_LAST_ADMIN', '%s is the last enabled administrator; enable or create another admin first'),
  SELF_DISABLE: define('ADMIN_SELF_DISABLE', 'an administrator cannot disable their own account'),
  // ingest
  INGEST_BACKPRESSURE: define('INGEST_BACKPRESSURE', 'ingest log is full; retry later'),
  INGEST_BATCH_TOO_LARGE: define('INGEST_BATCH_TOO_LARGE', 'a batch holds at most %s events'),
  // live
  LIVE_UNKNOWN_SCOPE: define('LIVE_UNKNOWN_SCOPE', 'no node %s in the network to watch'),
  // sockets (answered in acks; the status says what kind of refusal it is)
  SOCKET_RATE_LIMITED: define('SOCKET_RATE_LIMITED', 'too many socket events; retry in %s s'),
  SOCKET_TOO_MANY_CONNECTIONS: define('SOCKET_TOO_MANY_CONNECTIONS', 'at most %s open sockets per %s; close one first'),
  REQ_TIMEOUT: define('REQ_TIMEOUT', 'the request did not arrive in time'),
  REQ_URI_TOO_LONG: define('REQ_URI_TOO_LONG', 'a path parameter is too long'),
  // dispatch (codes also answered in socket acks)
  ORDER_NOT_FOUND: define('ORDER_NOT_FOUND', 'no order %s'),
  ORDER_STALE_VERSION: define('ORDER_STALE_VERSION', '%s'),
  ORDER_ILLEGAL_TRANSITION: define('ORDER_ILLEGAL_TRANSITION', '%s'),
  ORDER_DOUBLE_BOOKING: define('ORDER_DOUBLE_BOOKING', '%s'),
  ORDER_UNKNOWN_TARGET: define('ORDER_UNKNOWN_TARGET', '%s'),
  ORDER_TARGET_OUT_OF_TOWN: define('ORDER_TARGET_OUT_OF_TOWN', '%s'),
  ORDER_INVALID_SCORE: define('ORDER_INVALID_SCORE', '%s'),
  // privacy
  CONTACT_NOT_FOUND: define('CONTACT_NOT_FOUND', 'no person behind %s'),
  // the team and volunteer board
  TEAM_NOT_FOUND: define('TEAM_NOT_FOUND', 'no team %s'),
  // dashboards and emergency mode
  DASHBOARD_NOT_FOUND: define('DASHBOARD_NOT_FOUND', 'no dashboard %s'),
  EMERGENCY_MESSAGE_REQUIRED: define('EMERGENCY_MESSAGE_REQUIRED', 'switching emergency mode on needs a message'),
  // the public pages
  PUBLIC_NODE_NOT_FOUND: define('PUBLIC_NODE_NOT_FOUND', 'no node %s'),
  PUBLIC_NODE_OTHER_COUNTY: define('PUBLIC_NODE_OTHER_COUNTY', 'the code %s belongs to another county'),
  PUBLIC_NOT_ORDERABLE: define('PUBLIC_NOT_ORDERABLE', 'orders are taken at a station or point, not at %s'),
  PUBLIC_WINDOW_INVALID: define('PUBLIC_WINDOW_INVALID', 'the time window cannot be served: %s'),
  TRACK_NOT_FOUND: define('TRACK_NOT_FOUND', 'no order for this tracking link'),
  TRACK_ALREADY_RATED: define('TRACK_ALREADY_RATED', 'this order has been rated already'),
  TRACK_NOT_RATABLE: define('TRACK_NOT_RATABLE', 'an order is rated once it is completed'),
  REQ_RATE_LIMITED: define('REQ_RATE_LIMITED', 'rate limit exceeded, retry in %s'),
  // volunteers' accounts and tasks
  VOLUNTEER_PHONE_TAKEN: define('VOLUNTEER_PHONE_TAKEN', 'this phone number is registered already'),
  VOLUNTEER_NOT_FOUND: define('VOLUNTEER_NOT_FOUND', 'no volunteer account %s'),
  VOLUNTEER_BAD_STATE: define('VOLUNTEER_BAD_STATE', '%s'),
  VOLUNTEER_BAD_PLACE: define('VOLUNTEER_BAD_PLACE', '%s'),
  VOLUNTEER_PENDING: define('VOLUNTEER_PENDING', 'this registration awaits a dispatcher’s approval'),
  VOLUNTEER_REJECTED: define('VOLUNTEER_REJECTED', 'this registration was not approved'),
  VOLUNTEER_REASON_REQUIRED: define('VOLUNTEER_REASON_REQUIRED', 'a rejection needs a reason'),
  FIELD_NOT_YOURS: define('FIELD_NOT_YOURS', '%s'),
  FIELD_NO_APP: define('FIELD_NO_APP', 'volunteer %s has no approved phone account'),
  FIELD_OFFER_NOT_FOUND: define('FIELD_OFFER_NOT_FOUND', 'no open offer of %s'),
  // exports
  EXPORT_PUBLIC_DISPLAY: define(
    'EXPORT_PUBLIC_DISPLAY',
    'a public display shows the wall to anyone on the network but may not take data away: log in or use a wall token to export',
  ),
  // 一月一评估: weights and reports
  WEIGHTS_INVALID: define('WEIGHTS_INVALID', '%s'),
  WEIGHTS_STALE_VERSION: define(
    'WEIGHTS_STALE_VERSION',
    'the weights were edited from version %s but version %s is in force now; reload and edit again',
  ),
  REPORT_NOT_FOUND: define('REPORT_NOT_FOUND', 'no report %s'),
  REPORT_BAD_PERIOD: define('REPORT_BAD_PERIOD', '%s'),
  REPORT_UNKNOWN_WEIGHTS: define('REPORT_UNKNOWN_WEIGHTS', 'no weights version %s'),
  REPORT_RENDER_FAILED: define('REPORT_RENDER_FAILED', 'the report could not be printed; see the server log'),
  // store
  STORE_UNAVAILABLE: define('STORE_UNAVAILABLE', 'ClickHouse is unavailable'),
  SHARED_UNAVAILABLE: define('SHARED_UNAVAILABLE', 'Redis, which the nodes share, is unavailable; retry shortly'),
  // backups
  BACKUP_IN_PROGRESS: define('BACKUP_IN_PROGRESS', 'a backup is being made; wait for it'),
  BACKUP_EXTERNAL_STORE: define(
    'BACKUP_EXTERNAL_STORE',
    'the store is the ClickHouse server at CLICKHOUSE_URL: back it up with that server’s BACKUP',
  ),
} as const;

const refusals = new Map<string, ReturnType<typeof createError>>();
/**
 * A refusal a pure rule answered (a Result's `{ code, message }`, shared/activities.ts), thrown with
 * its code's status from the registry; a code missing from it is a bug, answered 500.
 */
export function refusal(code: string, message: string): Error {
  const status = (CODES as Readonly<Record<string, number | string>>)[code];
  if (typeof status !== 'number') return new Error(`unregistered refusal ${code}: ${message}`);
  let RefusalError = refusals.get(code);
  if (!RefusalError) refusals.set(code, (RefusalError = createError(code, '%s', status)));
  return new RefusalError(message);
}
