import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { ErrorResponseSchema } from '../../../../shared/api.js';
import { IngestResultSchema, MAX_BATCH } from '../../../../shared/events.js';
import { Errors } from '../../../errors.js';
import { INGEST_ROLES } from '../../../../shared/auth.js';
import { bearer } from '../../../auth/credentials.js';

/** Room for MAX_BATCH events of ~800 bytes each. */
export const INGEST_BODY_LIMIT = 8 * 1024 * 1024;

/** Newline-delimited JSON: one event per line; a line that is not JSON refuses the whole request. */
function parseNdjson(body: string): unknown[] {
  const items: unknown[] = [];
  const lines = body.split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    try {
      items.push(JSON.parse(line));
    } catch {
      throw new Errors.VALIDATION(`line ${i + 1} is not valid JSON`);
    }
  }
  return items;
}

const eventsRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addContentTypeParser(
    'application/x-ndjson',
    { parseAs: 'string', bodyLimit: INGEST_BODY_LIMIT },
    (_req, body, done) => {
      try {
        done(null, parseNdjson(body as string));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );

  app.post(
    '/api/v1/events',
    {
      bodyLimit: INGEST_BODY_LIMIT,
      config: {
        access: INGEST_ROLES,
        rateLimit: {
          max: 6_000,
          timeWindow: '1 minute',
          keyGenerator: (req) => bearer(req.headers.authorization) ?? req.ip,
        },
      },
      schema: {
        tags: ['ingest'],
        summary: 'Ingest events (JSON array or NDJSON, at most 10,000 a request)',
        description:
          'Each item is validated against the shared PracticeEvent schema and answered on its own: accepted, duplicate (its id was seen before) or rejected with a code and reason. Accepted events are durable (write-ahead log, fsync) before the answer.',
        security: [{ bearer: [] }],
        body: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_BATCH }),
        response: {
          200: IngestResultSchema,
          400: ErrorResponseSchema,
          401: ErrorResponseSchema,
          403: ErrorResponseSchema,
          413: ErrorResponseSchema,
          503: ErrorResponseSchema,
        },
      },
    },
    async (request) => app.ingest.submit(request.body),
  );
};

export default eventsRoutes;
