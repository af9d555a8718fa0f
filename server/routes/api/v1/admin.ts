import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  LockoutListSchema,
  PasswordResetBodySchema,
  UnlockResultSchema,
  UserCreateBodySchema,
  UserInfoSchema,
  UserListSchema,
  UsernameParamsSchema,
} from '../../../../shared/admin.js';
import { ErrorResponseSchema } from '../../../../shared/api.js';
import { ADMIN_ROLES } from '../../../../shared/auth.js';
import { Accounts, type Actor } from '../../../auth/accounts.js';
import { requirePrincipal } from '../../../plugins/app/auth.js';

const refused = { 400: ErrorResponseSchema, 401: ErrorResponseSchema, 403: ErrorResponseSchema };
const config = { access: ADMIN_ROLES };
const tags = ['admin'];

/** People's accounts and lockouts for the admin console (`/admin`): admin role only, every act audited. */
const adminRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const towns = new Set(app.network.nodes.filter((n) => n.level === 'institute').map((n) => n.id));
  const accounts = new Accounts(app.auth, towns);
  const actor = (request: FastifyRequest): Actor => ({
    id: requirePrincipal(request).id,
    ip: request.ip,
    sessionId: request.sessionId,
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.get(
    '/api/v1/admin/users',
    {
      config,
      schema: {
        tags,
        summary: 'Every account: role, scope, disabled, locked out until, created (never a password hash)',
        response: { 200: UserListSchema, ...refused },
      },
    },
    async () => ({ users: await accounts.list() }),
  );

  app.post(
    '/api/v1/admin/users',
    {
      config,
      schema: {
        tags,
        summary: 'Create a dispatcher (of a town or the district), a leader or an admin with a first password',
        body: UserCreateBodySchema,
        response: { 201: UserInfoSchema, ...refused, 409: ErrorResponseSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await accounts.create(request.body, actor(request))),
  );

  app.post(
    '/api/v1/admin/users/:username/password',
    {
      config,
      schema: {
        tags,
        summary: "Set a new password; the account's sessions end (the caller's own is kept)",
        params: UsernameParamsSchema,
        body: PasswordResetBodySchema,
        response: { 200: UserInfoSchema, ...refused, 404: ErrorResponseSchema },
      },
    },
    // Ended sessions lose their sockets on every namespace at once (AuthService.onEnded).
    async (request) => accounts.resetPassword(request.params.username, request.body.password, actor(request)),
  );

  app.post(
    '/api/v1/admin/users/:username/disable',
    {
      config,
      schema: {
        tags,
        summary: 'Disable an account: no login, and its sessions and sockets end at once',
        params: UsernameParamsSchema,
        response: { 200: UserInfoSchema, ...refused, 404: ErrorResponseSchema, 409: ErrorResponseSchema },
      },
    },
    async (request) => accounts.disable(request.params.username, actor(request)),
  );

  app.post(
    '/api/v1/admin/users/:username/enable',
    {
      config,
      schema: {
        tags,
        summary: 'Enable a disabled account (it logs in again with its password)',
        params: UsernameParamsSchema,
        response: { 200: UserInfoSchema, ...refused, 404: ErrorResponseSchema },
      },
    },
    async (request) => accounts.enable(request.params.username, actor(request)),
  );

  app.get(
    '/api/v1/admin/lockouts',
    {
      config,
      schema: {
        tags,
        summary: 'Usernames locked out after failed logins, per address, until when',
        response: { 200: LockoutListSchema, ...refused },
      },
    },
    async () => ({ lockouts: await accounts.lockouts() }),
  );

  app.delete(
    '/api/v1/admin/lockouts/:username',
    {
      config,
      schema: {
        tags,
        summary: "Clear a username's failed logins from every address: it may log in again at once",
        // As typed at login (any username is counted, existing or not).
        params: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: UnlockResultSchema, ...refused },
      },
    },
    async (request) => accounts.unlock(request.params.username, actor(request)),
  );
};

export default adminRoutes;
