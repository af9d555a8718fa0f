/**
 * The application is one Fastify plugin tree; server.ts only boots it (tests build it the same way).
 * Order: external integrations, then the app's features, then routes.
 */
import Fastify, {
  LogController,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
} from 'fastify';
import type { Config } from './config.js';
import { trackConnections } from './connections.js';
import type { RefusalCode } from '../shared/codes.js';
import { Errors } from './errors.js';
import { isInternalRequest, loggerOptions } from './logger.js';
import activities from './plugins/app/activities.js';
import auth from './plugins/app/auth.js';
import dashboards from './plugins/app/dashboards.js';
import dispatch from './plugins/app/dispatch.js';
import field from './plugins/app/field.js';
import ingest from './plugins/app/ingest.js';
import ingestSocket from './plugins/app/ingest-socket.js';
import evaluation from './plugins/app/evaluation.js';
import live from './plugins/app/live.js';
import reports from './plugins/app/reports.js';
import meeting from './plugins/app/meeting.js';
import network from './plugins/app/network.js';
import publicDesk from './plugins/app/public.js';
import simulator from './plugins/app/simulator.js';
import volunteers from './plugins/app/volunteers.js';
import clickhouse from './plugins/external/clickhouse.js';
import redis from './plugins/external/redis.js';
import config from './plugins/external/config.js';
import cors from './plugins/external/cors.js';
import helmet from './plugins/external/helmet.js';
import metrics from './plugins/external/metrics.js';
import rateLimit from './plugins/external/rate-limit.js';
import staticFiles from './plugins/external/static.js';
import swagger from './plugins/external/swagger.js';
import authRoutes from './routes/api/auth.js';
import dashboardRoutes from './routes/api/dashboards.js';
import statusRoutes from './routes/api/status.js';
import tokenRoutes from './routes/api/tokens.js';
import auditRoutes from './routes/api/v1/audit.js';
import activityRoutes from './routes/api/v1/activities.js';
import fieldActivityRoutes from './routes/api/v1/field-activities.js';
import adminRoutes from './routes/api/v1/admin.js';
import backupRoutes from './routes/api/v1/backup.js';
import contactRoutes from './routes/api/v1/contacts.js';
import emergencyRoutes from './routes/api/v1/emergency.js';
import eventsRoutes from './routes/api/v1/events.js';
import fieldRoutes from './routes/api/v1/field.js';
import fieldRecordRoutes from './routes/api/v1/field-record.js';
import exportRoutes from './routes/api/v1/exports.js';
import offerRoutes from './routes/api/v1/offers.js';
import ordersRoutes from './routes/api/v1/orders.js';
import publicRoutes from './routes/api/v1/public.js';
import screenRoutes from './routes/api/v1/screens.js';
import meetingRoutes from './routes/api/v1/meeting.js';
import evaluationRoutes from './routes/api/v1/evaluation.js';
import reportRoutes from './routes/api/v1/reports.js';
import teamRoutes from './routes/api/v1/teams.js';
import volunteerAccountRoutes from './routes/api/v1/volunteer-accounts.js';
import { transportOptions } from './transport.js';

/** Connections refused by a limit, by reason: read by /metrics (wmsj_connection_refusals_total). */
export type Refusals = Record<'address' | 'credential' | 'request_timeout', number>;

declare module 'fastify' {
  interface FastifyInstance {
    refusals: Refusals;
  }
}

/** How long sockets get to finish their close handshakes on a stop before they are cut. */
const CLOSE_GRACE_MS = 1_000;

/** Fastify's own body-parsing refusals, renamed into our registry (server/errors.ts). */
const FASTIFY_CODES: Readonly<Record<string, RefusalCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'REQ_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'REQ_UNSUPPORTED_MEDIA',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'REQ_VALIDATION',
  FST_ERR_CTP_INVALID_JSON_BODY: 'REQ_VALIDATION',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'REQ_VALIDATION',
};

/** The handler's own answers: a schema refusal, a 5xx whose detail stays in the log, a 4xx without a code. */
const [VALIDATION, INTERNAL, INVALID] = [
  'REQ_VALIDATION',
  'INTERNAL',
  'REQ_INVALID',
] as const satisfies readonly RefusalCode[];

export async function buildApp(cfg: Config, options: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const refusals: Refusals = { address: 0, credential: 0, request_timeout: 0 };
  // https of its own or not, and which proxies may speak for the client: per request, the page is
  // TLS when `request.protocol` says https (helmet.ts, the session cookie).
  const { https, trustProxy } = transportOptions(cfg);
  // Node checks request and headers timeouts every connectionsCheckingInterval (30 s by default,
  // which would let a trickling client hold on for half a minute past its limit).
  const checking = { connectionsCheckingInterval: 1_000 };
  const app = Fastify({
    ...(https ? { https: { ...https, ...checking } } : { http: checking }),
    trustProxy,
    logger: loggerOptions(cfg, process.stdout.isTTY),
    logController: new LogController({ disableRequestLogging: isInternalRequest }),
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
    // Start-up replays the write-ahead log left by an outage and seeds an empty store; both scale
    // with the data, not with a plugin's wiring, so Fastify's default 10 s would refuse a healthy
    // restart after a long ClickHouse outage (seen in the fault run under load).
    pluginTimeout: 300_000,
    // A client that trickles its request (one byte every few seconds) holds a connection no longer
    // than this; Node answers through clientErrorHandler below.
    requestTimeout: cfg.REQUEST_TIMEOUT_MS,
    clientErrorHandler: (error: NodeJS.ErrnoException, socket) => {
      const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
      const refusal = timedOut ? new Errors.REQ_TIMEOUT() : new Errors.VALIDATION('malformed request');
      if (timedOut) refusals.request_timeout += 1;
      if (socket.writable) {
        const body = JSON.stringify({ code: refusal.code, message: refusal.message });
        socket.end(
          `HTTP/1.1 ${refusal.statusCode} ${timedOut ? 'Request Timeout' : 'Bad Request'}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      } else socket.destroy();
    },
    // The router's own refusals (a path parameter past maxParamLength: 414; a malformed URL: 400)
    // in the registry's shape, without the path Fastify would echo: found by the fuzz on the
    // citizens' routes, whose node segment a poster or a script can make as long as it likes.
    frameworkErrors: (error, _request, reply) => {
      const refusal =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? new Errors.REQ_URI_TOO_LONG()
          : new Errors.VALIDATION('malformed URL');
      // Typed for the route it never reached; the answer is the registry's plain shape.
      void (reply as unknown as FastifyReply)
        .code(refusal.statusCode)
        .send({ code: refusal.code, message: refusal.message });
    },
    ...options,
  });
  app.server.headersTimeout = cfg.HEADERS_TIMEOUT_MS;
  app.decorate('refusals', refusals);

  // One error handler: clients get { code, message }; 5xx detail stays in the log.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: error.code, msg: error.message }, 'request refused');
    const code = error.validation ? VALIDATION : (FASTIFY_CODES[error.code] ?? error.code);
    void reply.code(status).send({
      code: status >= 500 && status !== 503 ? INTERNAL : code || INVALID,
      message: status >= 500 && status !== 503 ? 'internal error' : error.message,
    });
  });

  await app.register(config, { config: cfg });
  await app.register(redis);
  await app.register(helmet);
  await app.register(cors);
  await app.register(rateLimit);
  await app.register(swagger);
  await app.register(clickhouse);
  await app.register(network);
  await app.register(auth);
  await app.register(volunteers);
  await app.register(evaluation);
  await app.register(live);
  await app.register(reports);
  await app.register(dashboards);
  await app.register(meeting);
  await app.register(ingest);
  await app.register(ingestSocket);
  await app.register(dispatch);
  await app.register(field);
  await app.register(publicDesk);
  await app.register(activities);
  await app.register(simulator);
  await app.register(metrics);
  await app.register(statusRoutes);
  await app.register(authRoutes);
  await app.register(tokenRoutes);
  await app.register(eventsRoutes);
  await app.register(dashboardRoutes);
  await app.register(emergencyRoutes);
  await app.register(ordersRoutes);
  await app.register(contactRoutes);
  await app.register(publicRoutes);
  await app.register(teamRoutes);
  await app.register(activityRoutes);
  await app.register(fieldActivityRoutes);
  await app.register(auditRoutes);
  await app.register(screenRoutes);
  await app.register(meetingRoutes);
  await app.register(evaluationRoutes);
  await app.register(reportRoutes);
  await app.register(adminRoutes);
  await app.register(backupRoutes);
  await app.register(fieldRoutes);
  await app.register(fieldRecordRoutes);
  await app.register(volunteerAccountRoutes);
  await app.register(exportRoutes);
  await app.register(offerRoutes);
  await app.register(staticFiles);

  // Stop in the order data flows: no new simulated events, drain ingest into ClickHouse, then the
  // hub and the sockets; the store closes last (its onClose). Sockets get a moment to close
  // politely; whatever is still open then is cut, so the stop always ends (server/connections.ts).
  const connections = trackConnections(app.server);
  app.addHook('preClose', async () => {
    await app.simulator?.stop();
    await app.stopDispatch();
    await app.ingest.close();
    await app.hub.stop();
    app.io.disconnectSockets(true);
    app.io.engine.close();
    connections.endAfter(CLOSE_GRACE_MS);
    // The last acts into ClickHouse (what it refuses stays journaled for the next start).
    await app.auth.audit.close();
  });
  return app;
}
