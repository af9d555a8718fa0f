import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { ErrorResponseSchema } from '../../../../shared/api.js';
import { ADMIN_ROLES } from '../../../../shared/auth.js';
import { BackupManifestSchema, type BackupManifest } from '../../../../shared/backup.js';
import { AuditAction } from '../../../auth/audit.js';
import { createBackup } from '../../../backup/backup.js';
import { Errors } from '../../../errors.js';
import { requirePrincipal } from '../../../plugins/app/auth.js';

/**
 * A backup of the running server, by the server: chdb keeps the data directory locked to this
 * process, and only the server can hold its own ingest at a consistent cut. One at a time.
 */
const backupRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  let running: Promise<BackupManifest> | null = null;

  app.post(
    '/api/v1/admin/backup',
    {
      config: { access: ADMIN_ROLES },
      schema: {
        tags: ['operations'],
        summary: 'Back up the store and the server’s files into BACKUP_DIR (answers when it is complete)',
        response: {
          201: BackupManifestSchema,
          401: ErrorResponseSchema,
          403: ErrorResponseSchema,
          409: ErrorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const admin = requirePrincipal(request);
      if (app.store.kind !== 'embedded') throw new Errors.BACKUP_EXTERNAL_STORE();
      if (running) throw new Errors.BACKUP_IN_PROGRESS();
      running = createBackup({
        store: app.store,
        dataDir: app.config.DATA_DIR,
        walDir: app.config.WAL_DIR || `${app.config.DATA_DIR}/wal`,
        backupDir: app.config.BACKUP_DIR,
        hold: (during) => app.ingest.holding((position) => app.dispatch.holdingAudit(() => during(position))),
      });
      try {
        const manifest = await running;
        app.auth.audit.record({
          action: AuditAction.backup,
          actor: admin.id,
          subject: manifest.name,
          result: 'ok',
          ip: request.ip,
        });
        request.log.info(
          { backup: manifest.name, events: manifest.store.events, ms: manifest.durationMs },
          'backup made',
        );
        return await reply.code(201).send(manifest);
      } finally {
        running = null;
      }
    },
  );
};

export default backupRoutes;
