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
  TOKEN_NOT_FOUND: createError('AUTH_TOKEN_NOT_FOUND', 'no token %s', 404),
  TOKEN_CONFIGURED: createError(
    'AUTH_TOKEN_CONFIGURED',
    'token %s comes from the configuration (INGEST_TOKENS or DATA_DIR/ingest-token); change it there',
    409,
  ),
  // ingest
  INGEST_BACKPRESSURE: createError('INGEST_BACKPRESSURE', 'ingest log is full; retry later', 503),
  INGEST_BATCH_TOO_LARGE: createError('INGEST_BATCH_TOO_LARGE', 'a batch holds at most %s events', 413),
  // live
  LIVE_UNKNOWN_SCOPE: createError('LIVE_UNKNOWN_SCOPE', 'no district, town or station %s to watch', 400),
  // store
  STORE_UNAVAILABLE: createError('STORE_UNAVAILABLE', 'ClickHouse is unavailable', 503),
} as const;

/** Per-event rejection codes in ingest results (not HTTP errors: the request itself succeeds). */
export const EventRejection = {
  INVALID: 'EVENT_INVALID',
  UNKNOWN_NODE: 'EVENT_UNKNOWN_NODE',
  FROM_FUTURE: 'EVENT_FROM_FUTURE',
  DUPLICATE_IN_BATCH: 'EVENT_DUPLICATE_IN_BATCH',
} as const;
