/**
 * OpenAppeals (server/live/open-appeals.ts) against a plain walk of the same events, the way the
 * SQL of nodes.status counts them: received in the week, no closing of the id since the week's
 * start, overdue past the category's limit — as closings arrive after their appeals, the week
 * slides, old days and closings are forgotten, and an id closed long ago is closed again.
 */
import { describe, expect, it } from 'vitest';
import { OpenAppeals } from '../../../server/live/open-appeals.js';
import { APPEAL_DUE_MS } from '../../../shared/queries/appeals-categories.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const NOW = Date.parse('2026-12-07T12:00:00+08:00');
const DUE: Readonly<Record<string, number>> = APPEAL_DUE_MS;

interface Appeal {
  id: string;
  appeal: string;
  site: string;
  category: string;
  ts: number;
}

function plain(received: readonly Appeal[], closings: readonly { appeal: string; ts: number }[], nowMs: number) {
  const from = nowMs - WEEK;
  const out = new Map<string, { open: number; overdue: number }>();
  const seen = new Set<string>();
  for (const a of received) {
    if (seen.has(a.id) || a.ts < from) continue;
    seen.add(a.id);
    if (closings.some((c) => c.appeal === a.appeal && c.ts >= from)) continue;
    const f = out.get(a.site) ?? { open: 0, overdue: 0 };
    f.open += 1;
    if (nowMs - a.ts > (DUE[a.category] ?? 0)) f.overdue += 1;
    out.set(a.site, f);
  }
  return out;
}

function counted(appeals: OpenAppeals, nowMs: number, scope: (site: string) => boolean = () => true) {
  const out = new Map<string, { open: number; overdue: number }>();
  appeals.count(nowMs, nowMs - WEEK, scope, (site, open, overdue) => {
    const f = out.get(site) ?? { open: 0, overdue: 0 };
    out.set(site, { open: f.open + open, overdue: f.overdue + overdue });
  });
  return out;
}

describe('open appeals', () => {
  it('count what a plain walk counts as closings arrive, the week slides and old ones are forgotten', () => {
    const appeals = new OpenAppeals();
    const received: Appeal[] = [];
    const closings: { appeal: string; ts: number }[] = [];
    const receive = (a: Appeal) => {
      appeals.received(a.id, a.appeal, a.site, a.category, a.ts);
      received.push(a);
    };
    const close = (appeal: string, ts: number) => {
      appeals.closed(appeal, ts);
      closings.push({ appeal, ts });
    };
    const categories = Object.keys(DUE);
    // Every 5 hours over 12 days, at three sites; ids re-used every 9 appeals, as the bulk filler's are.
    for (let i = 0; i < 58; i += 1)
      receive({
        id: `E${i}`,
        appeal: `AP${i % 9}`,
        site: `S${i % 3}`,
        category: categories[i % categories.length] ?? '',
        ts: NOW - 12 * DAY + i * 5 * HOUR,
      });
    close('AP1', NOW - 10 * DAY); // before the week: its appeals in the week stay open
    close('AP2', NOW - 2 * DAY);
    expect(counted(appeals, NOW)).toEqual(plain(received, closings, NOW));
    expect(counted(appeals, NOW, (s) => s === 'S1')).toEqual(
      new Map([...plain(received, closings, NOW)].filter(([s]) => s === 'S1')),
    );
    // An event applied twice counts once; a closing arriving later closes what it names.
    for (const a of received.slice(50, 52)) appeals.received(a.id, a.appeal, a.site, a.category, a.ts);
    close('AP3', NOW - HOUR);
    expect(counted(appeals, NOW)).toEqual(plain(received, closings, NOW));
    // The week slides by two days: old days and AP1's closing are forgotten, AP1 is closed again.
    appeals.prune(NOW + 2 * DAY - WEEK);
    expect(counted(appeals, NOW + 2 * DAY)).toEqual(plain(received, closings, NOW + 2 * DAY));
    close('AP1', NOW + DAY);
    expect(counted(appeals, NOW + 2 * DAY)).toEqual(plain(received, closings, NOW + 2 * DAY));
    expect(counted(appeals, NOW + 2 * DAY).size).toBeGreaterThan(0);
  });

  it('forgets everything once the week has passed it, an event applied twice and its closing included', () => {
    const appeals = new OpenAppeals();
    for (let i = 0; i < 6; i += 1) {
      const ts = NOW - 3 * DAY + i * HOUR;
      // Each event twice (a retried block), ids re-used over two appeals.
      for (let twice = 0; twice < 2; twice += 1) appeals.received(`E${i}`, `AP${i % 2}`, `S${i % 3}`, 'consult', ts);
    }
    appeals.closed('AP0', NOW - DAY);
    expect(appeals.held).toEqual({ appeals: 6, closings: 2 });
    appeals.prune(NOW + WEEK);
    expect(appeals.held).toEqual({ appeals: 0, closings: 0 });
  });
});
