import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { ErrorResponseSchema } from '../../../../shared/api.js';
import { ADMIN_ROLES, READ_ROLES } from '../../../../shared/auth.js';
import { EmergencyBodySchema, EmergencyStateSchema } from '../../../../shared/emergency.js';
import { AuditAction } from '../../../auth/audit.js';
import { Errors } from '../../../errors.js';
import { requirePrincipal } from '../../../plugins/app/auth.js';

const refused = { 401: ErrorResponseSchema, 403: ErrorResponseSchema };

/** Emergency mode (平时服务、战时应急): read by anyone who reads the wall, switched by an admin only. */
const emergencyRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/emergency',
    {
      config: { access: READ_ROLES },
      schema: {
        tags: ['emergency'],
        summary: 'Whether emergency mode is on, its message, since when and who switched it',
        response: { 200: EmergencyStateSchema, ...refused },
      },
    },
    async () => app.emergency.state,
  );

  app.post(
    '/api/v1/emergency',
    {
      config: { access: ADMIN_ROLES },
      schema: {
        tags: ['emergency'],
        summary: 'Switch emergency mode: every wall shows the emergency dashboard and the message, at once',
        body: EmergencyBodySchema,
        response: { 200: EmergencyStateSchema, 400: ErrorResponseSchema, 503: ErrorResponseSchema, ...refused },
      },
    },
    async (request) => {
      const admin = requirePrincipal(request);
      const { active } = request.body;
      const message = request.body.message?.trim() ?? '';
      if (active && message === '') throw new Errors.EMERGENCY_MESSAGE_REQUIRED();
      const entry = {
        action: active ? AuditAction.emergencyOn : AuditAction.emergencyOff,
        actor: admin.id,
        // Switching off: the reason given, if any (the walls show no message then, the trail keeps it).
        subject: active ? message : message || 'off',
        ip: request.ip,
      };
      try {
        // On the record once kept and before the walls switch: who declared (or ended) an emergency is never lost.
        return await app.setEmergency(active, message, admin.id, () =>
          app.auth.audit.record({ ...entry, result: 'ok' }),
        );
      } catch (error) {
        // Several nodes, Redis out of reach: nothing switched anywhere, and the attempt is on the record.
        if (error instanceof Errors.SHARED_UNAVAILABLE) app.auth.audit.record({ ...entry, result: 'refused' });
        throw error;
      }
    },
  );
};

export default emergencyRoutes;
