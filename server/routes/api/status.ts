import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { ClientConfigSchema, ErrorResponseSchema, HealthSchema, type Health } from '../../../shared/api.js';
import { KpiSnapshotSchema } from '../../../shared/kpi.js';
import { NetworkSchema } from '../../../shared/network.js';
import { ping } from '../../store/index.js';

/** Read-only views: health, the network, KPI figures, the wall's client settings. */
const statusRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/health',
    {
      schema: { tags: ['status'], summary: 'ClickHouse reachability and ingest lag', response: { 200: HealthSchema } },
    },
    async (): Promise<Health> => {
      const clickhouse = await ping(app.store);
      const ingest = app.ingest.status();
      const causes: string[] = [];
      if (!clickhouse.reachable) causes.push('clickhouse unreachable');
      if (ingest.lastError) causes.push(`clickhouse insert failing: ${ingest.lastError}`);
      if (ingest.lagMs > 10_000) causes.push(`ingest lag ${Math.round(ingest.lagMs / 1000)} s`);
      return {
        status: causes.length === 0 ? 'ok' : 'degraded',
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
      schema: {
        tags: ['network'],
        summary: 'All nodes of the 1+9+118+N network with the county outline and town areas',
        response: { 200: NetworkSchema },
      },
    },
    async () => app.network,
  );

  app.get(
    '/api/kpi',
    {
      schema: {
        tags: ['kpi'],
        summary: 'The wall KPI figures, live',
        response: { 200: KpiSnapshotSchema, 503: ErrorResponseSchema },
      },
    },
    async () => app.hub.kpi(),
  );

  app.get(
    '/api/client-config',
    {
      schema: { tags: ['status'], summary: 'Settings the wall display needs', response: { 200: ClientConfigSchema } },
    },
    async () => ({ tileUrl: app.config.TILE_URL || null, locale: 'zh-CN' as const, network: app.config.NETWORK }),
  );
};

export default statusRoutes;
