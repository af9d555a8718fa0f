/**
 * CheckinWindows (server/live/checkin-windows.ts) against a plain count of the same check-ins, as
 * its windows move forward minute by minute, jump, move back, and its old minutes are forgotten.
 */
import { describe, expect, it } from 'vitest';
import { CheckinWindows } from '../../../server/live/checkin-windows.js';

const MIN = 60_000;
const T0 = Date.parse('2026-12-07T00:00:00+08:00');

interface Checkin {
  id: string;
  site: string;
  ts: number;
}

/** What the SQL counts: check-ins at or after the window's first minute, per site. */
function plain(checkins: readonly Checkin[], fromMinute: number): Map<string, number> {
  const counts = new Map<string, number>();
  const seen = new Set<string>();
  for (const c of checkins) {
    if (seen.has(c.id) || c.ts < fromMinute) continue;
    seen.add(c.id);
    counts.set(c.site, (counts.get(c.site) ?? 0) + 1);
  }
  return counts;
}

describe('check-in windows', () => {
  it('count what a plain count counts wherever the window moves, an event applied twice once', () => {
    const windows = new CheckinWindows();
    const arrived: Checkin[] = [];
    const arrive = (c: Checkin) => {
      windows.add(c.id, c.site, c.ts);
      arrived.push(c);
    };
    const check = (fromMinute: number, length = 60 * MIN) =>
      expect(new Map(windows.from(length, fromMinute)), `${length / MIN} min from ${(fromMinute - T0) / MIN}`).toEqual(
        plain(arrived, fromMinute),
      );
    // A deterministic spread: three sites, a check-in every 7 minutes and 13 seconds over 10 hours.
    const all: Checkin[] = [];
    for (let i = 0; i < 84; i += 1) all.push({ id: `E${i}`, site: `S${i % 3}`, ts: T0 + i * (7 * MIN + 13_000) });
    for (const c of all.slice(0, 40)) arrive(c);
    check(T0);
    check(T0, 24 * 60 * MIN); // another length keeps its own counts
    for (let m = 1; m < 30; m += 1) check(T0 + m * MIN);
    // Later arrivals land in the windows that exist: one in the window's first minute, one before it,
    // and one a second time (a retried block).
    arrive({ id: 'EDGE', site: 'S1', ts: T0 + 29 * MIN + 5_000 });
    arrive({ id: 'BEFORE', site: 'S1', ts: T0 + 28 * MIN + 59_999 });
    for (const c of all.slice(40)) arrive(c);
    for (const c of all.slice(40, 41)) arrive(c);
    check(T0 + 29 * MIN);
    check(T0 + 400 * MIN); // a jump forward: summed afresh
    check(T0 + 390 * MIN); // a step back
    for (let m = 391; m < 420; m += 1) check(T0 + m * MIN);
    // Minutes before 6 h are forgotten, also by the day-long window still counting from midnight.
    windows.prune(T0 + 360 * MIN);
    const kept = arrived.filter((c) => c.ts >= T0 + 360 * MIN);
    expect(new Map(windows.from(24 * 60 * MIN, T0))).toEqual(plain(kept, T0));
    expect(new Map(windows.from(60 * MIN, T0 + 300 * MIN))).toEqual(plain(kept, T0 + 300 * MIN));
    expect(new Map(windows.from(60 * MIN, T0 + 420 * MIN))).toEqual(plain(kept, T0 + 420 * MIN));
    expect(windows.from(60 * MIN, T0 + 2000 * MIN).size).toBe(0);
  });
});
