/**
 * How the server logs: JSON lines (pino) for whatever collects them — journald, a file, a log
 * shipper — and text for a person at a terminal (pino-pretty, in pino's transport worker so the
 * formatting stays off the event loop).
 *
 * No secret reaches a log line: a request's URL is logged with the values of secret-looking query
 * parameters replaced (an old kiosk link `/?token=…` still carries its wall token in the request
 * line), and credential headers and password fields are censored wherever a line carries them.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { LoggerOptions } from 'pino';
import type { Config } from './config.js';

const CENSOR = '[redacted]';
/** Query parameters whose values are credentials. */
const SECRET_PARAM = /([?&](?:token|access_token|secret|password|passwd|key|api_key|apikey|auth|session|sid)=)[^&#]*/gi;

export const redactUrl = (url: string): string => url.replace(SECRET_PARAM, `$1${CENSOR}`);

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number } | null;
}

/** Fastify's request serializer (method, url, host, address), the URL redacted. */
const req = (request: LoggedRequest) => ({
  method: request.method,
  url: redactUrl(request.url),
  host: request.host,
  remoteAddress: request.ip,
  remotePort: request.socket?.remotePort,
});

const redact = {
  paths: [
    'req.headers.authorization',
    'req.headers.cookie',
    'res.headers["set-cookie"]',
    'headers.authorization',
    'headers.cookie',
    'headers["set-cookie"]',
    'password',
    '*.password',
    'token',
    '*.token',
  ],
  censor: CENSOR,
};

/**
 * The server's own requests (the live simulator's, through `inject`) carry this header with a value
 * made at start and held only in memory, so nobody outside can forge it to keep their requests out
 * of the log; Fastify leaves them out of its request lines, which would otherwise be several a
 * second, every second, at the county's rhythm. A refusal still reaches the log as the simulator's
 * warning, and a public route's the audit.
 */
export const INTERNAL_HEADER = 'x-wmsj-internal';
export const internalMark = randomBytes(24).toString('hex');
const expected = Buffer.from(internalMark);

export function isInternalRequest(request: { headers: Record<string, string | string[] | undefined> }): boolean {
  const value = request.headers[INTERNAL_HEADER];
  return (
    typeof value === 'string' && value.length === internalMark.length && timingSafeEqual(Buffer.from(value), expected)
  );
}

export function loggerOptions(cfg: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>, stdoutIsTerminal: boolean): LoggerOptions {
  const pretty = cfg.LOG_FORMAT === 'pretty' || (cfg.LOG_FORMAT === 'auto' && stdoutIsTerminal);
  const base = { level: cfg.LOG_LEVEL, serializers: { req }, redact };
  if (!pretty) return base;
  return {
    ...base,
    transport: {
      target: 'pino-pretty',
      options: {
        colorize: stdoutIsTerminal,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname',
        // One line an entry: a request's fields stay beside its message instead of below it.
        singleLine: true,
      },
    },
  };
}
