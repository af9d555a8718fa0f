import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import {
  ClientConfigSchema,
  ErrorResponseSchema,
  HealthSchema,
  HealthSummarySchema,
  type Health,
  type HealthSummary,
} from '../../../shared/api.js';
import { READ_ROLES } from '../../../shared/auth.js';
import { KpiSnapshotSchema } from '../../../shared/kpi.js';
import { NetworkSchema } from '../../../shared/network.js';
import { Errors } from '../../errors.js';
import { ping } from '../../store/index.js';

const refused = { 401: ErrorResponseSchema, 403: ErrorResponseSchema };

/**
 * Read-only views: health (public; causes and figures only to a known caller, since they can name
 * internals), and the wall's data for the roles that read the wall.
 */
const statusRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['status'],
        summary: 'ClickHouse reachability and ingest lag (details for authenticated callers)',
        response: { 200: Type.Union([HealthSchema, HealthSummarySchema]) },
      },
    },
    async (request): Promise<Health | HealthSummary> => {
      const clickhouse = await ping(app.store);
      const ingest = app.ingest.status();
      const causes: string[] = [];
      if (!clickhouse.reachable) causes.push('clickhouse unreachable');
      // The error's text stays in the log: ClickHouse quotes the row it failed on, personal data included.
      if (ingest.lastError) causes.push('clickhouse insert failing');
      if (ingest.setAside > 0)
        causes.push(`${ingest.setAside} events set aside (ClickHouse refused them; see dead-letter.ndjson)`);
      if (ingest.lagMs > 10_000) causes.push(`ingest lag ${Math.round(ingest.lagMs / 1000)} s`);
      const status = causes.length === 0 ? 'ok' : 'degraded';
      if (!request.principal) return { status };
      return {
        status,
        causes,
        clickhouse: { transport: app.store.kind, ...clickhouse },
        ingest: { pending: ingest.pending, lagMs: ingest.lagMs, walBytes: ingest.walBytes },
        uptimeS: process.uptime(),
      };
    },
  );

  app.get(
    '/api/network',
    {
      config: { access: READ_ROLES },
      schema: {
        tags: ['network'],
        summary: 'All nodes of the 1+9+118+N network with the county outline and town areas',
        response: { 200: NetworkSchema, ...refused },
      },
    },
    async () => app.network,
  );

  app.get(
    '/api/kpi',
    {
      config: { access: READ_ROLES },
      schema: {
        tags: ['kpi'],
        summary: 'The wall KPI figures, live',
        response: { 200: KpiSnapshotSchema, ...refused, 503: ErrorResponseSchema },
      },
    },
    async () => {
      // The district view lives from start to stop; null only while the hub is starting.
      const kpi = app.hub.kpi();
      if (!kpi) throw new Errors.STORE_UNAVAILABLE();
      return kpi;
    },
  );

  app.get(
    '/api/client-config',
    {
      config: { access: READ_ROLES },
      schema: {
        tags: ['status'],
        summary: 'Settings the wall display needs',
        response: { 200: ClientConfigSchema, ...refused },
      },
    },
    async () => ({
      tileUrl: app.config.TILE_URL || null,
      locale: 'zh-CN' as const,
      network: app.network.county.network,
      publicUrl: app.config.PUBLIC_URL || null,
    }),
  );
};

export default statusRoutes;
