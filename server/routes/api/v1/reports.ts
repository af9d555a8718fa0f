/**
 * Evaluation reports (issue 17.4) for leaders and admins: the archive's list, one report's PDF, and
 * a report made now. Any other caller (a wall, a dispatcher, a device, a volunteer) is refused and
 * the refusal audited: a report is the county's judgement of its towns, taken out of the room.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { ErrorResponseSchema } from '../../../../shared/api.js';
import { Role } from '../../../../shared/auth.js';
import {
  ReportGenerateBodySchema,
  ReportIdParamsSchema,
  ReportListSchema,
  ReportSummarySchema,
  type ReportList,
} from '../../../../shared/report.js';
import { AuditAction } from '../../../auth/audit.js';
import { requirePrincipal } from '../../../plugins/app/auth.js';
import { disposition } from './exports.js';

const REPORT_ROLES = [Role.leader, Role.admin] as const;
const errors = { 400: ErrorResponseSchema, 401: ErrorResponseSchema, 403: ErrorResponseSchema };

const reportRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  // Refusals by role happen in the auth hook, before any handler: audited here, for these routes only.
  app.addHook('onError', async (request, _reply, error) => {
    if ((error as { code?: string }).code !== 'AUTH_FORBIDDEN') return;
    app.auth.audit.record({
      action: AuditAction.reportRefused,
      actor: request.principal?.id ?? 'anonymous',
      result: 'refused',
      ip: request.ip,
      subject: `${request.method} ${request.routeOptions.url ?? request.url} as ${request.principal?.role ?? 'none'}`,
    });
  });

  app.get(
    '/api/v1/reports',
    {
      config: { access: REPORT_ROLES },
      schema: {
        tags: ['reports'],
        summary: 'The archived evaluation reports, newest period first (each generation listed)',
        response: { 200: ReportListSchema, ...errors },
      },
    },
    async (_request, reply): Promise<ReportList> => {
      reply.header('cache-control', 'no-store');
      return { reports: await app.reports.list() };
    },
  );

  app.post(
    '/api/v1/reports',
    {
      config: { access: REPORT_ROLES, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['reports'],
        summary: 'Makes and archives the report of a closed month, half-year or year now',
        description:
          'Default scope `district`, default weights the version in force; `weightsVersion` reproduces an archived report. A period not over yet: 400 REPORT_BAD_PERIOD; Chromium failing: 503 REPORT_RENDER_FAILED. Audited.',
        body: ReportGenerateBodySchema,
        response: { 201: ReportSummarySchema, ...errors, 503: ErrorResponseSchema },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const subject = `${request.body.period}-${request.body.start}-${request.body.scope ?? 'district'}`;
      try {
        const { summary } = await app.reports.generate(request.body, principal.id);
        app.auth.audit.record({
          action: AuditAction.reportGenerated,
          actor: principal.id,
          result: 'ok',
          ip: request.ip,
          subject: summary.id,
        });
        return await reply.code(201).send(summary);
      } catch (error) {
        app.auth.audit.record({
          action: AuditAction.reportGenerated,
          actor: principal.id,
          result: 'refused',
          ip: request.ip,
          subject,
        });
        throw error;
      }
    },
  );

  app.get(
    '/api/v1/reports/:id/pdf',
    {
      config: { access: REPORT_ROLES },
      schema: {
        tags: ['reports'],
        summary: "An archived report's PDF, as it was made",
        params: ReportIdParamsSchema,
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }),
          ...errors,
          404: ErrorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const report = await app.reports.find(request.params.id);
      app.auth.audit.record({
        action: AuditAction.reportDownloaded,
        actor: principal.id,
        result: 'ok',
        ip: request.ip,
        subject: report.id,
      });
      return reply
        .header('content-type', 'application/pdf')
        .header(
          'content-disposition',
          disposition(`${report.id}.pdf`, `${app.network.county.name}-评估报告-${report.id}.pdf`),
        )
        .header('x-weights-version', String(report.weightsVersion))
        .header('cache-control', 'no-store')
        .send(report.pdf);
    },
  );

  app.get(
    '/api/v1/reports/:id/figures',
    {
      config: { access: REPORT_ROLES },
      schema: {
        tags: ['reports'],
        summary: 'The figures an archived report printed (JSON, shared/report.ts ReportData)',
        params: ReportIdParamsSchema,
        response: { 200: Type.Unsafe<unknown>({ type: 'object' }), ...errors, 404: ErrorResponseSchema },
      },
    },
    async (request, reply) => {
      const report = await app.reports.find(request.params.id);
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(report.figures);
    },
  );
};

export default reportRoutes;
