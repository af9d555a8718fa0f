import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { ErrorResponseSchema } from '../../../shared/api.js';
import { LoginBodySchema, PrincipalSchema, Role, SESSION_COOKIE } from '../../../shared/auth.js';
import { requirePrincipal } from '../../plugins/app/auth.js';

const EVERY_ROLE = Object.values(Role);

/** People's sessions: log in for a signed cookie, ask who you are, log out. */
const authRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/auth/login',
    {
      // Beside the per-account lockout: one address may not try many accounts quickly either.
      config: { access: 'public', rateLimit: { max: app.config.LOGIN_ATTEMPTS_PER_MINUTE, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Log in with username and password; sets an httpOnly session cookie',
        body: LoginBodySchema,
        response: {
          200: PrincipalSchema,
          400: ErrorResponseSchema,
          401: ErrorResponseSchema,
          429: ErrorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const { sessionId, principal } = await app.auth.login(request.body.username, request.body.password, request.ip);
      void reply.setCookie(SESSION_COOKIE, sessionId, app.sessionCookie);
      return principal;
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: 'public' },
      schema: { tags: ['auth'], summary: 'End this session (and close its sockets)', response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      if (request.sessionId !== null) {
        // Ends the session's sockets on every namespace too (AuthService.onEnded).
        await app.auth.logout(request.sessionId, request.principal?.id ?? '', request.ip);
      }
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { access: EVERY_ROLE },
      schema: {
        tags: ['auth'],
        summary: 'Who is calling',
        response: { 200: PrincipalSchema, 401: ErrorResponseSchema },
      },
    },
    async (request) => requirePrincipal(request),
  );
};

export default authRoutes;
