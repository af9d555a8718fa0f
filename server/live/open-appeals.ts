/**
 * The week's appeals held for nodes.status's open and overdue appeals (live/figures.ts), shaped so
 * an answer does no lookup per appeal: each received appeal points at its subject's closing, which
 * a closing event updates in place, and carries its category's limit. Looking up each of the
 * week's 57 k appeals (100 M events) in a map of closings by appeal id, and its limit by category,
 * took most of nodes.status's 30–70 ms there. Held per civil day and site, so a town walks only its
 * sites' appeals. Pure: no I/O.
 */
import { APPEAL_DUE_MS } from '../../shared/queries/appeals-categories.js';
import { localDay } from '../../shared/time-zone.js';

const DUE: Readonly<Record<string, number>> = APPEAL_DUE_MS;

/** An appeal id's latest closing (epoch ms, -Infinity for none) and how many held appeals name it. */
interface Closing {
  at: number;
  held: number;
}

interface Received {
  ts: number;
  dueMs: number;
  closing: Closing;
}

export class OpenAppeals {
  /**
   * Per civil day, per site, by event id (a re-used appeal id is counted per received event, as
   * SQL counts rows; one event applied twice once).
   */
  private readonly days = new Map<number, Map<string, Map<string, Received>>>();
  private readonly closings = new Map<string, Closing>();

  received(id: string, appeal: string, site: string, category: string, ts: number): void {
    const day = localDay(ts);
    let sites = this.days.get(day);
    if (!sites) this.days.set(day, (sites = new Map<string, Map<string, Received>>()));
    let appeals = sites.get(site);
    if (!appeals) sites.set(site, (appeals = new Map<string, Received>()));
    if (appeals.has(id)) return;
    const closing = this.closing(appeal);
    closing.held += 1;
    appeals.set(id, { ts, dueMs: DUE[category] ?? 0, closing });
  }

  closed(appeal: string, ts: number): void {
    const closing = this.closing(appeal);
    closing.at = Math.max(closing.at, ts);
  }

  /**
   * Per site in scope, the appeals received from `fromMs` on with no closing since, and of those
   * the ones open longer at `nowMs` than their category allows; sites with none are left out.
   */
  count(
    nowMs: number,
    fromMs: number,
    inScope: (site: string) => boolean,
    into: (site: string, open: number, overdue: number) => void,
  ): void {
    const first = localDay(fromMs);
    for (const [day, sites] of this.days) {
      if (day < first) continue;
      for (const [site, appeals] of sites) {
        if (!inScope(site)) continue;
        let open = 0;
        let overdue = 0;
        for (const a of appeals.values()) {
          if (a.ts < fromMs || a.closing.at >= fromMs) continue;
          open += 1;
          if (nowMs - a.ts > a.dueMs) overdue += 1;
        }
        if (open > 0) into(site, open, overdue);
      }
    }
  }

  /** Forgets the days before `fromMs`'s and the closings no answer from `fromMs` on can need. */
  prune(fromMs: number): void {
    const first = localDay(fromMs);
    for (const [day, sites] of this.days) {
      if (day >= first) continue;
      for (const appeals of sites.values()) for (const a of appeals.values()) a.closing.held -= 1;
      this.days.delete(day);
    }
    // A closing still named by a held appeal stays: a later closing of the same id must reach it.
    for (const [appeal, c] of this.closings) if (c.held === 0 && c.at < fromMs) this.closings.delete(appeal);
  }

  /** What is held: appeals over every day and site, and closings (memory stays bounded by the week). */
  get held(): { appeals: number; closings: number } {
    let appeals = 0;
    for (const sites of this.days.values()) for (const site of sites.values()) appeals += site.size;
    return { appeals, closings: this.closings.size };
  }

  private closing(appeal: string): Closing {
    let c = this.closings.get(appeal);
    if (!c) this.closings.set(appeal, (c = { at: -Infinity, held: 0 }));
    return c;
  }
}
