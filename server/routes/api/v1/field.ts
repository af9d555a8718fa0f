import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { errorResponses, ErrorResponseSchema } from '../../../../shared/api.js';
import { PrincipalSchema, SESSION_COOKIE, VOLUNTEER_ROLES } from '../../../../shared/auth.js';
import { SKILLS } from '../../../../shared/candidates.js';
import { maskPhone } from '../../../../shared/mask.js';
import {
  AVAILABILITY,
  FieldMeSchema,
  FieldOptionsSchema,
  RegisteredSchema,
  RegistrationBodySchema,
  SmsLoginBodySchema,
  SmsRequestBodySchema,
  VolunteerLoginBodySchema,
  type FieldOptions,
} from '../../../../shared/volunteer.js';
import { AuditAction } from '../../../auth/audit.js';
import { hashPassword } from '../../../auth/passwords.js';
import { Errors } from '../../../errors.js';
import { requirePrincipal } from '../../../plugins/app/auth.js';

const tags = ['field'];
const refused = errorResponses(400, 401, 403, 429);

/**
 * The phone app's doors (`/m`): the public registration (志愿者招募) and its choices, the login by
 * phone and password or SMS code, and the volunteer's own profile. Anonymous calls are limited per
 * address; a login also goes through the per-account lockout.
 */
const fieldRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { accounts, login } = app.volunteers;
  const nodes = new Map(app.network.nodes.map((n) => [n.id, n]));
  const options: FieldOptions = {
    towns: app.network.nodes
      .filter((n) => n.level === 'institute')
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((t) => ({
        id: t.id,
        name: t.name,
        stations: app.network.nodes
          .filter((n) => n.level === 'station' && n.instituteId === t.id)
          .sort((a, b) => a.id.localeCompare(b.id))
          .map((s) => ({ id: s.id, name: s.name })),
      })),
    skills: [...SKILLS],
    availability: [...AVAILABILITY],
  };
  const loginLimit = { max: app.config.LOGIN_ATTEMPTS_PER_MINUTE, timeWindow: '1 minute' };

  app.get(
    '/api/v1/field/options',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Towns, their stations, skills and availability: the registration form’s choices',
        response: { 200: FieldOptionsSchema },
      },
    },
    async () => options,
  );

  app.post(
    '/api/v1/field/register',
    {
      config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: '志愿者招募: register (pending until a dispatcher of the town approves)',
        body: RegistrationBodySchema,
        response: { 201: RegisteredSchema, ...refused, 409: ErrorResponseSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const station = nodes.get(body.stationId);
      if (
        nodes.get(body.instituteId)?.level !== 'institute' ||
        station?.level !== 'station' ||
        station.instituteId !== body.instituteId
      ) {
        throw new Errors.VOLUNTEER_BAD_PLACE(`station ${body.stationId} is not a station of ${body.instituteId}`);
      }
      const outcome = await accounts.register(body, await hashPassword(body.password));
      const subject = maskPhone(body.phone);
      if (!outcome.ok) {
        app.auth.audit.record({
          action: AuditAction.volunteerRegistered,
          actor: subject,
          result: 'refused',
          ip: request.ip,
          subject: outcome.code,
        });
        throw new Errors.VOLUNTEER_PHONE_TAKEN();
      }
      app.auth.audit.record({
        action: AuditAction.volunteerRegistered,
        actor: outcome.value.id,
        result: 'ok',
        ip: request.ip,
        subject: `volunteer:${outcome.value.id}`,
      });
      return reply.code(201).send({ id: outcome.value.id, status: outcome.value.status });
    },
  );

  app.post(
    '/api/v1/field/login',
    {
      config: { access: 'public', rateLimit: loginLimit },
      schema: {
        tags,
        summary: 'A volunteer’s login by phone and password; sets the session cookie',
        body: VolunteerLoginBodySchema,
        response: { 200: PrincipalSchema, ...refused },
      },
    },
    async (request, reply) => {
      const { sessionId, principal } = await login.password(request.body.phone, request.body.password, request.ip);
      void reply.setCookie(SESSION_COOKIE, sessionId, app.sessionCookie);
      return principal;
    },
  );

  app.post(
    '/api/v1/field/sms',
    {
      config: { access: 'public', rateLimit: { max: 5, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Send an SMS login code to an approved volunteer’s phone (the same answer for any phone)',
        body: SmsRequestBodySchema,
        response: { 204: Type.Null(), ...refused },
      },
    },
    async (request, reply) => {
      await login.requestCode(request.body.phone);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/field/sms/login',
    {
      config: { access: 'public', rateLimit: loginLimit },
      schema: {
        tags,
        summary: 'A volunteer’s login by SMS code; sets the session cookie',
        body: SmsLoginBodySchema,
        response: { 200: PrincipalSchema, ...refused },
      },
    },
    async (request, reply) => {
      const { sessionId, principal } = await login.code(request.body.phone, request.body.code, request.ip);
      void reply.setCookie(SESSION_COOKIE, sessionId, app.sessionCookie);
      return principal;
    },
  );

  app.get(
    '/api/v1/field/me',
    {
      config: { access: VOLUNTEER_ROLES },
      schema: {
        tags,
        summary: 'The volunteer’s own profile (phone masked)',
        response: { 200: FieldMeSchema, ...refused },
      },
    },
    async (request, reply) => {
      const row = await accounts.find(requirePrincipal(request).id);
      if (!row) throw new Errors.VOLUNTEER_NOT_FOUND(requirePrincipal(request).id);
      void reply.header('cache-control', 'no-store');
      return {
        id: row.id,
        name: row.name,
        phone: maskPhone(row.phone),
        instituteId: row.instituteId,
        instituteName: nodes.get(row.instituteId)?.name ?? '',
        stationId: row.stationId,
        stationName: nodes.get(row.stationId)?.name ?? '',
        skills: row.skills,
        availability: row.availability,
      };
    },
  );
};

export default fieldRoutes;
