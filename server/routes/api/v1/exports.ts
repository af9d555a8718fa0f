/**
 * Exports (issue 17.3): a panel's ranking or table as CSV or Excel. The route runs the same named
 * query a panel subscribes to, with the same parameter validation and the same scope rule as the
 * `/live` socket (sockets/live.ts): a town's token or account reads only inside its town, and by
 * default its own town. The answer is the one the panel's screens were last sent when any watch it
 * (so the file holds what the wall showed), else one fresh evaluation; masked as every answer is.
 * Who may export: whoever may read the wall — but not an anonymous public display (PUBLIC_DISPLAY):
 * it shows the wall to anyone who walks up to it, and an export is a copy of the county's figures
 * that leaves the room; that needs a person's login or a screen's token, which is audited.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { ErrorResponseSchema } from '../../../../shared/api.js';
import { PrincipalKind, READ_ROLES } from '../../../../shared/auth.js';
import { exportFileName, fileStamp, type ExportFormat, type ExportQuery } from '../../../../shared/export-file.js';
import { ExportFileParams, ExportQuerystring } from '../../../../shared/exports.js';
import { QUERY_PARAMS, type QueryParams } from '../../../../shared/queries/index.js';
import { AuditAction } from '../../../auth/audit.js';
import { Errors } from '../../../errors.js';
import { toCsv } from '../../../exports/csv.js';
import { buildSheet } from '../../../exports/sheet.js';
import { describeExport } from '../../../exports/tables.js';
import { SHEET_WORDS } from '../../../exports/words.js';
import { toXlsx } from '../../../exports/xlsx.js';
import { buildScopes, ownScope, scopeRefusal } from '../../../live/scope.js';
import { requirePrincipal } from '../../../plugins/app/auth.js';
import { paramsProblem } from '../../../queries/index.js';
import { perCaller } from './params.js';

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
/** RFC 6266: an ASCII name for old clients, the Chinese one as RFC 5987 UTF-8 for the rest. */
export const disposition = (ascii: string, name: string): string =>
  `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;

const exportRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const scopes = buildScopes(app.network);

  app.get(
    '/api/v1/exports/:file',
    {
      // A workbook is built in memory: a caller asking for hundreds a minute is harvesting, not reading.
      config: { access: READ_ROLES, rateLimit: { max: 60, timeWindow: '1 minute', keyGenerator: perCaller } },
      schema: {
        tags: ['exports'],
        summary: "A panel's ranking or table as CSV (UTF-8 with BOM) or Excel: `<query>.csv` or `<query>.xlsx`",
        description:
          "The query's own parameters as query-string keys (`evaluation.xlsx?period=month&level=institute`), `scope` (a node id; default the caller's own), `lang` (zh-CN or en), `title` (the panel's title). The header block names the county, panel, scope, period, when the data was read and when it was exported; `X-Data-As-Of` is the read time in epoch ms. A public display is refused (EXPORT_PUBLIC_DISPLAY).",
        params: ExportFileParams,
        querystring: ExportQuerystring,
        response: {
          // The file as bytes (Fastify sends a Buffer as it is, unserialized); the schema is for the API docs.
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }),
          400: ErrorResponseSchema,
          401: ErrorResponseSchema,
          403: ErrorResponseSchema,
          503: ErrorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      if (principal.kind === PrincipalKind.public) throw new Errors.EXPORT_PUBLIC_DISPLAY();
      const [, name = '', ext = ''] = /^(.+)\.(csv|xlsx)$/.exec(request.params.file) ?? [];
      const query = name as ExportQuery;
      const format = ext as ExportFormat;
      const { scope: asked, lang = 'zh-CN', title, ...raw } = request.query;
      const scope = asked ?? ownScope(scopes, principal.scope);
      const why = scopeRefusal(scopes, principal.scope, scope);
      if (why === 'unknown') throw new Errors.LIVE_UNKNOWN_SCOPE(scope);
      if (why === 'outside') throw new Errors.FORBIDDEN(`export ${scope} outside ${principal.scope}`);
      // Query strings are text; the query's schema says which of its parameters are numbers.
      const params = Value.Convert(QUERY_PARAMS[query], raw) as QueryParams<ExportQuery>;
      const problem = paramsProblem(query, params);
      if (problem) throw new Errors.VALIDATION(problem);

      const answer = await app.hub.queries
        .current(query, scope, scopes.nodesIn(scope), params as never)
        .catch((error: unknown) => {
          request.log.warn({ err: error, query }, 'export query failed');
          throw new Errors.STORE_UNAVAILABLE();
        });
      const words = SHEET_WORDS[lang];
      const county = app.network.county;
      const countyName = lang === 'en' && county.nameEn ? county.nameEn : county.name;
      const scopeName = scope === scopes.root ? words.header.district : (app.nodeNames.get(scope) ?? scope);
      const nodeName = (id: string) => app.nodeNames.get(id) ?? id;
      const exportedAt = Date.now();
      const parts = describeExport(query, params as never, answer.data as never, {
        words,
        nodeName,
        asOf: answer.asOf,
      });
      const sheet = buildSheet(
        {
          county: countyName,
          title: title ?? parts.title,
          scope: scopeName,
          period: parts.period,
          asOf: answer.asOf,
          exportedAt,
          extra: parts.extra,
        },
        parts.tables,
        words,
      );
      const body = format === 'csv' ? toCsv(sheet) : await toXlsx(sheet, exportedAt);
      app.auth.audit.record({
        action: AuditAction.dataExported,
        actor: principal.id,
        result: 'ok',
        ip: request.ip,
        subject: `${query}@${scope}.${format}`,
      });
      const stamp = fileStamp(exportedAt);
      return reply
        .header('content-type', CONTENT_TYPES[format])
        .header(
          'content-disposition',
          disposition(
            exportFileName([query, scope, stamp], format),
            exportFileName([countyName, title ?? parts.title, scopeName, stamp], format),
          ),
        )
        .header('x-data-as-of', String(answer.asOf))
        .header('cache-control', 'no-store')
        .send(body);
    },
  );
};

export default exportRoutes;
