import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { METRICS_ROLES } from '../../../shared/auth.js';

/**
 * Prometheus metrics at /metrics (an admin, or a device token for the scraper). The app's parts keep plain counters;
 * the registry reads them at scrape time, so no hot path calls into prom-client.
 */
export default fp(
  async (app) => {
    const registry = new Registry();
    // Finer GC buckets than prom-client's (1 ms, 10 ms, 100 ms, 1 s…) between 10 and 500 ms: an
    // event-loop stall of 100–200 ms can then be laid beside the collector's pauses in the same window.
    collectDefaultMetrics({
      register: registry,
      prefix: 'wmsj_',
      gcDurationBuckets: [0.001, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.5, 1, 2, 5],
    });
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(read());
        },
      });
    const counter = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers: [registry],
        collect() {
          this.reset();
          this.inc(read());
        },
      });

    new Counter({
      name: 'wmsj_connection_refusals_total',
      help: 'Connections refused by a limit: sockets per address or per credential, requests that timed out',
      labelNames: ['reason'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [reason, n] of Object.entries(app.refusals)) this.inc({ reason }, n);
      },
    });
    counter(
      'wmsj_ingest_accepted_total',
      'Events accepted (durable in the write-ahead log)',
      () => app.ingest.stats.accepted,
    );
    counter('wmsj_ingest_duplicate_total', 'Events refused as already seen', () => app.ingest.stats.duplicate);
    counter('wmsj_ingest_rejected_total', 'Events refused by validation', () => app.ingest.stats.rejected);
    gauge('wmsj_ingest_pending_events', 'Events accepted but not yet in ClickHouse', () => app.ingest.status().pending);
    gauge(
      'wmsj_ingest_lag_seconds',
      'Age of the oldest event not yet in ClickHouse',
      () => app.ingest.status().lagMs / 1000,
    );
    gauge('wmsj_wal_pending_bytes', 'Write-ahead log bytes not yet checkpointed', () => app.ingest.status().walBytes);
    counter('wmsj_clickhouse_inserts_total', 'Batches inserted into ClickHouse', () => app.ingest.stats.inserts);
    counter(
      'wmsj_clickhouse_insert_errors_total',
      'Failed ClickHouse insert attempts',
      () => app.ingest.stats.insertErrors,
    );
    counter(
      'wmsj_clickhouse_insert_seconds_total',
      'Time spent in successful ClickHouse inserts',
      () => app.ingest.stats.insertSeconds,
    );
    counter(
      'wmsj_live_evaluations_total',
      'Named-query evaluations by the live hub (all screens share them)',
      () => app.hub.evaluations,
    );
    counter('wmsj_live_frames_total', 'Frames sent by the live hub', () => app.hub.frames);
    gauge(
      'wmsj_live_query_subscriptions',
      'Distinct panel queries watched (one evaluation each)',
      () => app.hub.queries.size,
    );
    gauge('wmsj_live_clients', 'Screens connected to /live', () => app.io.of('/live').sockets.size);
    gauge(
      'wmsj_dispatch_consoles',
      'Dispatch consoles connected to /dispatch',
      () => app.io.of('/dispatch').sockets.size,
    );
    gauge('wmsj_live_lagging_clients', 'Screens skipped because they are not reading', () => app.liveFanout.lagging);
    gauge(
      'wmsj_live_frame_interval_seconds',
      'Interval between live frames: TICK_MS, longer while sending frames to many screens costs more',
      () => app.hub.frameIntervalMs / 1000,
    );
    gauge(
      'wmsj_live_push_delay_seconds',
      'Accept-to-push delay of the newest frame’s oldest event',
      () => app.hub.lastPushDelayMs / 1000,
    );

    app.get('/metrics', { config: { access: METRICS_ROLES }, schema: { hide: true } }, async (_request, reply) => {
      return reply.type(registry.contentType).send(await registry.metrics());
    });
  },
  { name: 'metrics', dependencies: ['ingest', 'live', 'auth'] },
);
