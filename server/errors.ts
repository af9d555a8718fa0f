/**
 * Every error a client can see, with a stable code and its HTTP status, in one registry grouped
 * by subsystem (after fastify's lib/errors.js). Clients get `{ code, message }`, never a stack.
 */
import createError from '@fastify/error';

export const Errors = {
  // request
  VALIDATION: createError('REQ_VALIDATION', '%s', 400),
  BODY_TOO_LARGE: createError('REQ_BODY_TOO_LARGE', 'request body exceeds %s bytes', 413),
  UNSUPPORTED_MEDIA: createError('REQ_UNSUPPORTED_MEDIA', 'content type %s is not accepted', 415),
  // auth
  UNAUTHENTICATED: createError('AUTH_UNAUTHENTICATED', 'a valid token or session is required', 401),
  FORBIDDEN: createError('AUTH_FORBIDDEN', 'this role may not %s', 403),
  // One answer for an unknown user and a wrong password, so logins cannot probe for usernames.
  INVALID_CREDENTIALS: createError('AUTH_INVALID_CREDENTIALS', 'wrong username or password', 401),
  LOCKED_OUT: createError('AUTH_LOCKED_OUT', 'too many failed logins; retry in %s minutes', 429),
  ACCOUNT_DISABLED: createError('AUTH_ACCOUNT_DISABLED', 'this account is disabled; ask an administrator', 403),
  TOKEN_NOT_FOUND: createError('AUTH_TOKEN_NOT_FOUND', 'no token %s', 404),
  TOKEN_CONFIGURED: createError(
    'AUTH_TOKEN_CONFIGURED',
    'token %s comes from the configuration (INGEST_TOKENS or DATA_DIR/ingest-token); change it there',
    409,
  ),
  // accounts (the admin console)
  USER_NOT_FOUND: createError('ADMIN_USER_NOT_FOUND', 'no account %s', 404),
  USER_EXISTS: createError('ADMIN_USER_EXISTS', 'an account %s exists already', 409),
  USER_INVALID: createError('ADMIN_USER_INVALID', '%s', 400),
  LAST_ADMIN: createError(
    'ADMIN_LAST_ADMIN',
    '%s is the last enabled administrator; enable or create another admin first',
    409,
  ),
  SELF_DISABLE: createError('ADMIN_SELF_DISABLE', 'an administrator cannot disable their own account', 409),
  // ingest
  INGEST_BACKPRESSURE: createError('INGEST_BACKPRESSURE', 'ingest log is full; retry later', 503),
  INGEST_BATCH_TOO_LARGE: createError('INGEST_BATCH_TOO_LARGE', 'a batch holds at most %s events', 413),
  // live
  LIVE_UNKNOWN_SCOPE: createError('LIVE_UNKNOWN_SCOPE', 'no node %s in the network to watch', 400),
  // sockets (answered in acks; the status says what kind of refusal it is)
  SOCKET_RATE_LIMITED: createError('SOCKET_RATE_LIMITED', 'too many socket events; retry in %s s', 429),
  SOCKET_TOO_MANY_CONNECTIONS: createError(
    'SOCKET_TOO_MANY_CONNECTIONS',
    'at most %s open sockets per %s; close one first',
    429,
  ),
  REQ_TIMEOUT: createError('REQ_TIMEOUT', 'the request did not arrive in time', 408),
  // dispatch (codes also answered in socket acks; see DISPATCH_STATUS)
  ORDER_NOT_FOUND: createError('ORDER_NOT_FOUND', 'no order %s', 404),
  ORDER_STALE_VERSION: createError('ORDER_STALE_VERSION', '%s', 409),
  ORDER_ILLEGAL_TRANSITION: createError('ORDER_ILLEGAL_TRANSITION', '%s', 409),
  ORDER_DOUBLE_BOOKING: createError('ORDER_DOUBLE_BOOKING', '%s', 409),
  ORDER_UNKNOWN_TARGET: createError('ORDER_UNKNOWN_TARGET', '%s', 400),
  ORDER_TARGET_OUT_OF_TOWN: createError('ORDER_TARGET_OUT_OF_TOWN', '%s', 400),
  ORDER_INVALID_SCORE: createError('ORDER_INVALID_SCORE', '%s', 400),
  // privacy
  CONTACT_NOT_FOUND: createError('CONTACT_NOT_FOUND', 'no person behind %s', 404),
  // dashboards and emergency mode
  DASHBOARD_NOT_FOUND: createError('DASHBOARD_NOT_FOUND', 'no dashboard %s', 404),
  EMERGENCY_MESSAGE_REQUIRED: createError(
    'EMERGENCY_MESSAGE_REQUIRED',
    'switching emergency mode on needs a message',
    400,
  ),
  // store
  STORE_UNAVAILABLE: createError('STORE_UNAVAILABLE', 'ClickHouse is unavailable', 503),
  // backups
  BACKUP_IN_PROGRESS: createError('BACKUP_IN_PROGRESS', 'a backup is being made; wait for it', 409),
  BACKUP_EXTERNAL_STORE: createError(
    'BACKUP_EXTERNAL_STORE',
    'the store is the ClickHouse server at CLICKHOUSE_URL: back it up with that server’s BACKUP',
    409,
  ),
} as const;

/** HTTP status of each code a dispatch command can be refused with (REST answers; acks carry the code). */
export const DISPATCH_STATUS: Readonly<Record<string, number>> = {
  ORDER_NOT_FOUND: 404,
  ORDER_STALE_VERSION: 409,
  ORDER_ILLEGAL_TRANSITION: 409,
  ORDER_DOUBLE_BOOKING: 409,
  ORDER_UNKNOWN_TARGET: 400,
  ORDER_TARGET_OUT_OF_TOWN: 400,
  ORDER_INVALID_SCORE: 400,
  REQ_VALIDATION: 400,
  AUTH_FORBIDDEN: 403,
  INGEST_BACKPRESSURE: 503,
};

/** Per-event rejection codes in ingest results (not HTTP errors: the request itself succeeds). */
export const EventRejection = {
  INVALID: 'EVENT_INVALID',
  UNKNOWN_NODE: 'EVENT_UNKNOWN_NODE',
  FROM_FUTURE: 'EVENT_FROM_FUTURE',
  DUPLICATE_IN_BATCH: 'EVENT_DUPLICATE_IN_BATCH',
  /** An `order.transition` from a device: orders change only through the dispatch service's state machine. */
  ORDER_VIA_DISPATCH: 'EVENT_ORDER_VIA_DISPATCH',
} as const;
