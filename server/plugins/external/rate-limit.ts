import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import type { RefusalCode } from '../../../shared/codes.js';

/** Per-IP limits by default; routes with a token key their limit on it (see routes/api/v1/events). */
export default fp(
  async (app) => {
    await app.register(rateLimit, {
      global: true,
      max: 600,
      timeWindow: '1 minute',
      errorResponseBuilder: (_req, context) => ({
        statusCode: context.statusCode,
        code: 'REQ_RATE_LIMITED' satisfies RefusalCode,
        message: `rate limit exceeded, retry in ${context.after}`,
      }),
    });
  },
  { name: 'rate-limit' },
);
