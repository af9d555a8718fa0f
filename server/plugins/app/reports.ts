import fp from 'fastify-plugin';
import { DISTRICT } from '../../../shared/auth.js';
import { buildScopes } from '../../live/scope.js';
import { ReportService } from '../../reports/service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** 一月一评估's reports: generated, archived, listed (issue 17.4). */
    reports: ReportService;
  }
}

/** How often the schedule looks for a period that closed (and at start, after a delay). */
const SCHEDULE_MS = 3_600_000;
const FIRST_PASS_MS = 30_000;
/** Several nodes: a report key claimed by one node stays its own this long (a year's report takes seconds). */
const CLAIM_MS = 3_600_000;

/**
 * The report service, and the schedule (REPORT_SCHEDULE): 30 s after start and then every hour,
 * each month, half-year and year closed in the last 12 months without a district report in the
 * archive is made, oldest first — so the one due at a month's end is made within the hour, and
 * the ones missed while the server was down are made when it is back. On several nodes one node
 * takes each (a key claimed in Redis).
 */
export default fp(
  async (app) => {
    const scopes = buildScopes(app.network);
    const reports = new ReportService({
      store: app.store,
      weights: app.weights,
      county: app.network.county.name,
      chromiumPath: app.config.CHROMIUM_PATH,
      scope: (id) => {
        if (id === DISTRICT) return { id, name: '全区', nodes: null };
        const institute = app.network.nodes.find((n) => n.id === id && n.level === 'institute');
        return institute ? { id, name: institute.name, nodes: scopes.nodesIn(id) } : null;
      },
      log: app.log.child({ module: 'reports' }),
      ...(app.redis
        ? {
            claim: async (key: string) =>
              (await app.redis?.set(`wmsj:report:${key}`, app.nodeId, 'PX', CLAIM_MS, 'NX')) === 'OK',
          }
        : {}),
    });
    app.decorate('reports', reports);
    if (!app.config.REPORT_SCHEDULE) return;
    let timer: NodeJS.Timeout | null = null;
    let running: Promise<unknown> = Promise.resolve();
    const pass = () => {
      running = reports
        .catchUp()
        .catch((error: unknown) => app.log.warn({ err: error }, 'scheduled reports failed; retried in an hour'));
    };
    app.addHook('onReady', async () => {
      timer = setTimeout(function again() {
        pass();
        timer = setTimeout(again, SCHEDULE_MS);
        timer.unref();
      }, FIRST_PASS_MS);
      timer.unref();
    });
    app.addHook('onClose', async () => {
      if (timer) clearTimeout(timer);
      // A report being made finishes (seconds) before the store closes under it.
      await running;
    });
  },
  { name: 'reports', dependencies: ['evaluation', 'network', 'clickhouse', 'redis'] },
);
