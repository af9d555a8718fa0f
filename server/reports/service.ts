/**
 * Reports (issue 17.4): generated on demand or by the schedule, archived in the store, listed and
 * read back. A generation is: the weights version (the one in force, or the one asked for), the
 * figures (data.ts), the HTML (html.ts), the PDF (pdf.ts) stamped with the generation time, then
 * one row in the archive. One generation at a time in this process: each starts a Chromium, and
 * the machine serves the walls meanwhile.
 */
import { createHash } from 'node:crypto';
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { WeightsVersion } from '../../shared/evaluation-weights.js';
import {
  closedPeriods,
  periodRange,
  reportKey,
  type PeriodRange,
  type ReportData,
  type ReportGenerateBody,
  type ReportSummary,
} from '../../shared/report.js';
import { Errors } from '../errors.js';
import {
  archivedKeys,
  findReport,
  firstDataMonth,
  insertReport,
  listReports,
  type ArchivedReport,
} from '../store/report-repository.js';
import type { Transport } from '../store/transport.js';
import { reportData, type ReportScope } from './data.js';
import { reportHtml } from './html.js';
import { printPdf, RenderError, stampPdf } from './pdf.js';
import { WeightsService } from './weights.js';

export interface ReportServiceOptions {
  store: Transport;
  weights: WeightsService;
  county: string;
  chromiumPath: string;
  /** `district` or a 所's id → its name and nodes; null when there is no such scope. */
  scope: (id: string) => ReportScope | null;
  log: Logger;
  now?: () => number;
  /** Several nodes: true when this node takes the schedule's report `key` (one node makes each). */
  claim?: (key: string) => Promise<boolean>;
}

export interface Generated {
  summary: ReportSummary;
  data: ReportData;
  pdf: Buffer;
}

/** How far back the schedule makes sure every closed period is archived. */
export const CATCH_UP_MONTHS = 12;

export class ReportService {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly options: ReportServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Checks a request and makes its report (queued behind any other generation). */
  generate(body: ReportGenerateBody, by: string): Promise<Generated> {
    const range = periodRange(body.period, body.start);
    if (typeof range === 'string') return Promise.reject(new Errors.REPORT_BAD_PERIOD(range));
    if (range.endMs > this.now()) {
      return Promise.reject(new Errors.REPORT_BAD_PERIOD(`${body.period} ${body.start} is not over yet`));
    }
    const scope = this.options.scope(body.scope ?? 'district');
    if (!scope) return Promise.reject(new Errors.LIVE_UNKNOWN_SCOPE(body.scope ?? ''));
    const run = this.queue.then(async () => {
      const weights =
        body.weightsVersion === undefined
          ? (await this.options.weights.load(), this.options.weights.current())
          : await this.options.weights.version(body.weightsVersion);
      if (!weights) throw new Errors.REPORT_UNKNOWN_WEIGHTS(body.weightsVersion ?? 0);
      return this.make(range, scope, weights, by);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The figures and the PDF, not archived (the benchmark and `generate`). */
  async render(
    range: PeriodRange,
    scope: ReportScope,
    weights: WeightsVersion,
    at: number,
  ): Promise<{ data: ReportData; pdf: Buffer }> {
    const data = await reportData(this.options.store, this.options.county, range, scope, weights);
    let pdf: Buffer;
    try {
      pdf = await printPdf(reportHtml(data), this.options.chromiumPath);
    } catch (error) {
      this.options.log.error({ err: error }, 'report print failed');
      throw error instanceof RenderError || error instanceof Error ? new Errors.REPORT_RENDER_FAILED() : error;
    }
    return { data, pdf: stampPdf(pdf, at) };
  }

  private async make(range: PeriodRange, scope: ReportScope, weights: WeightsVersion, by: string): Promise<Generated> {
    const at = this.now();
    const { data, pdf } = await this.render(range, scope, weights, at);
    const summary: ReportSummary = {
      id: `${reportKey(range, scope.id)}-${at}`,
      period: range.period,
      start: range.start,
      scope: scope.id,
      weightsVersion: weights.version,
      bytes: pdf.length,
      sha256: createHash('sha256').update(pdf).digest('hex'),
      generatedBy: by,
      generatedAt: at,
    };
    const archived: ArchivedReport = { ...summary, figures: JSON.stringify(data), pdf };
    await insertReport(this.options.store, archived);
    return { summary, data, pdf };
  }

  list(limit = 500): Promise<ReportSummary[]> {
    return listReports(this.options.store, limit);
  }

  async find(id: string): Promise<ArchivedReport> {
    const found = await findReport(this.options.store, id);
    if (!found) throw new Errors.REPORT_NOT_FOUND(id);
    return found;
  }

  /**
   * The schedule's pass: every month, half-year and year closed within CATCH_UP_MONTHS that has no
   * district report archived yet, oldest first. Run at start and every hour, so a period that
   * closed while the server was down is made when it is back; one already archived is never made
   * twice (the archive is the record of what was done).
   */
  async catchUp(horizonMonths = CATCH_UP_MONTHS): Promise<ReportSummary[]> {
    const have = await archivedKeys(this.options.store);
    const first = await firstDataMonth(this.options.store);
    if (first === null) return [];
    const dataFrom = (periodRange('month', first) as PeriodRange).startMs;
    const made: ReportSummary[] = [];
    for (const range of closedPeriods(this.now(), horizonMonths)) {
      const key = reportKey(range, 'district');
      // A period over before the county's data began has nothing to report.
      if (have.has(key) || range.endMs <= dataFrom) continue;
      if (this.options.claim && !(await this.options.claim(key))) continue;
      const { summary } = await this.generate({ period: range.period, start: range.start }, 'scheduler');
      made.push(summary);
      this.options.log.info({ report: summary.id, bytes: summary.bytes }, 'report archived by the schedule');
    }
    return made;
  }
}
