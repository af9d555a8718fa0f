/**
 * The live simulator at the county's own rhythm against the history's expectation for the same
 * local hour (seed/history/params.ts: the year's count × the day's share × the hour's share, and
 * the activities' timing), so a wall's "今日签到 较昨日同时" compares like with like. Each case runs
 * RUNS seeded simulators through the hour; the sums are compound Poisson (activities × their
 * participants), so each bound is 4.5 standard deviations of that: a correct simulator fails one
 * with odds of about 1 in 150,000, and the seeds make every run the same.
 */
import { describe, expect, it } from 'vitest';
import type { PracticeEvent } from '../../shared/events.js';
import { historyParams } from '../../seed/history/params.js';
import { generateNetwork } from '../../seed/network.js';
import { localTime } from '../../seed/rhythm.js';
import { createSimulator } from '../../seed/simulator.js';

const network = generateNetwork('shuangliu');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const RUNS = 100;
/** The history ends here; the cases below lie in its last week. */
const NOW = Date.parse('2026-12-14T12:00:00+08:00');
const params = historyParams(network, 20231, 1, NOW, 136_000);
const num = (key: string): number => Number(params[key]);
const arr = (key: string): number[] => params[key] as number[];
const share = (cdf: number[], i: number): number => (cdf[i] ?? 0) - (cdf[i - 1] ?? 0);

/** The history's expected count of `kind` in the local hour holding `ts`. */
function historyHour(kind: 'activity' | 'appeal', ts: number): number {
  const count = num(kind === 'activity' ? 'activities' : 'appeals');
  const d = Math.round((num('day0') - localTime(ts, 'Asia/Shanghai').midnight) / DAY);
  return count * share(arr(`${kind}DayCdf`), d) * share(arr(`${kind}Cdf`), localTime(ts, 'Asia/Shanghai').hour);
}
const participants = num('participantsMin') + (num('participantsSpan') - 1) / 2;
/** E[S²] / E[S] of the participants (uniform integers): the compound-Poisson variance per expected check-in. */
const spread = (() => {
  const sizes = Array.from({ length: num('participantsSpan') }, (_, i) => num('participantsMin') + i);
  return sizes.reduce((a, s) => a + s * s, 0) / sizes.reduce((a, s) => a + s, 0);
})();

/**
 * The history's expected check-ins in [h, h + 1 h): activities start on the hour and the half hour
 * (half the hour's each), and their participants check in uniformly over [start − before, + span).
 */
function historyCheckins(h: number): number {
  const before = num('checkinBeforeMs');
  const span = num('checkinSpanMs');
  let total = 0;
  for (let s = h - HOUR; s <= h + 2 * HOUR; s += 30 * MIN) {
    const overlap = Math.max(0, Math.min(h + HOUR, s - before + span) - Math.max(h, s - before));
    total += (historyHour('activity', s) / 2) * participants * (overlap / span);
  }
  return total;
}

/** Runs seeded simulators from `from` to `to` (one tick a minute) and hands each one's events over. */
async function runs(from: number, to: number, each: (events: PracticeEvent[]) => void): Promise<void> {
  for (let seed = 1; seed <= RUNS; seed++) {
    let t = from;
    const events: PracticeEvent[] = [];
    const sim = createSimulator({ network, seed, now: () => t, tickMs: MIN, emit: (b) => void events.push(...b) });
    for (; t <= to; t += MIN) await sim.tick();
    await sim.stop();
    each(events);
  }
}

const CASES = [
  ['a weekday at 03:00', '2026-12-09T03:00:00+08:00'],
  ['a weekday at 10:00', '2026-12-09T10:00:00+08:00'],
  ['a Saturday at 03:00', '2026-12-12T03:00:00+08:00'],
  ['a Saturday at 10:00', '2026-12-12T10:00:00+08:00'],
] as const;

describe('the simulator at the county’s rhythm', () => {
  it.each(CASES)(
    'checks in and receives appeals at the history’s rate on %s',
    async (_, at) => {
      const h = Date.parse(at);
      let checkins = 0;
      let appeals = 0;
      const inHour = (e: PracticeEvent): boolean => e.ts >= h && e.ts < h + HOUR;
      // from a quarter before the hour: the hour's first check-ins belong to the activities starting at it
      await runs(h - 30 * MIN, h + HOUR, (events) => {
        checkins += events.filter((e) => e.type === 'checkin' && inHour(e)).length;
        appeals += events.filter((e) => e.type === 'appeal.received' && inHour(e)).length;
      });
      const expectedCheckins = RUNS * historyCheckins(h);
      const expectedAppeals = RUNS * historyHour('appeal', h);
      expect(Math.abs(checkins - expectedCheckins)).toBeLessThanOrEqual(4.5 * Math.sqrt(expectedCheckins * spread) + 1);
      expect(Math.abs(appeals - expectedAppeals)).toBeLessThanOrEqual(4.5 * Math.sqrt(expectedAppeals) + 1);
    },
    60_000,
  );

  it('has volunteers on duty (在岗) by the time of day: none before dawn, the morning’s activities at 10:00', async () => {
    const midnight = Date.parse('2026-12-09T00:00:00+08:00');
    const at4: number[] = [];
    const at10: number[] = [];
    // from 18:00 the evening before, so the night's late activities end as they would
    await runs(midnight - 6 * HOUR, midnight + 10 * HOUR, (events) => {
      const present = (t: number): number =>
        events.filter((e) => e.ts <= t && e.type === 'checkin').length -
        events.filter((e) => e.ts <= t && e.type === 'checkout').length;
      at4.push(present(midnight + 4 * HOUR));
      at10.push(present(midnight + 10 * HOUR));
    });
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    // The history's expectation at 10:00: activities of the morning's slots still running.
    const expected10 = historyOnDuty(midnight + 10 * HOUR);
    expect(historyOnDuty(midnight + 4 * HOUR)).toBeLessThan(1);
    expect(mean(at4)).toBeLessThan(1);
    expect(Math.abs(mean(at10) - expected10)).toBeLessThanOrEqual(
      (4.5 * Math.sqrt(expected10 * spread)) / Math.sqrt(RUNS) + 1,
    );
  }, 120_000);
});

/**
 * The history's expected volunteers on duty at `t`: for each slot, its participants checked in by
 * `t` and not yet out, with the check-in, the length and the check-out drawn as the history draws them.
 */
function historyOnDuty(t: number): number {
  const [inBefore, inSpan] = [num('checkinBeforeMs'), num('checkinSpanMs')];
  const [outBefore, outSpan] = [num('checkoutBeforeMs'), num('checkoutSpanMs')];
  const [lenMin, lenSpan] = [num('durationMinMs'), num('durationSpanMs')];
  const clamp = (x: number): number => Math.min(1, Math.max(0, x));
  let total = 0;
  for (let s = t - 6 * HOUR - ((t - 6 * HOUR) % (30 * MIN)); s <= t + HOUR; s += 30 * MIN) {
    const checkedIn = clamp((t - (s - inBefore)) / inSpan);
    let notOut = 0;
    const steps = 60;
    for (let i = 0; i < steps; i++) {
      const end = s + lenMin + ((i + 0.5) / steps) * lenSpan;
      notOut += 1 - clamp((t - (end - outBefore)) / outSpan);
    }
    total += (historyHour('activity', s) / 2) * participants * checkedIn * (notOut / steps);
  }
  return total;
}

describe('the simulator carrying on the history', () => {
  it('closes the appeals the history left in progress, and leaves the stalled ones alone', async () => {
    const start = Date.parse('2026-12-09T09:00:00+08:00');
    const venue = network.nodes.find((n) => n.level === 'station')?.id ?? '';
    // replied a day ago, the closure due 1 h to 49 h after the reply: uniform over the 25 hours still open
    const replied = Array.from({ length: 200 }, (_, i) => ({
      appealId: `AP-${String(i + 1).padStart(6, '0')}`,
      nodeId: venue,
      steps: 2,
      lastAt: start - DAY,
      unit: '双流区民政局',
    }));
    // replied ten days ago and never closed: stalled for good
    const stalled = replied.map((a) => ({ ...a, appealId: `${a.appealId}-S`, lastAt: start - 10 * DAY }));
    let t = start;
    const events: PracticeEvent[] = [];
    const sim = createSimulator({
      network,
      seed: 3,
      now: () => t,
      tickMs: MIN,
      pendingAppeals: [...replied, ...stalled],
      emit: (b) => void events.push(...b),
    });
    for (; t <= start + 6 * HOUR; t += MIN) await sim.tick();
    await sim.stop();
    const closed = events.filter((e) => e.type === 'appeal.closed').map((e) => (e.type === 'appeal.closed' ? e : null));
    const adopted = closed.filter((e) => e?.appealId.startsWith('AP-0'));
    // binomial(200, 6/25 × 0.978): mean 47, sd 6
    expect(adopted.length).toBeGreaterThanOrEqual(20);
    expect(adopted.length).toBeLessThanOrEqual(75);
    expect(adopted.every((e) => e?.actor === '双流区民政局' && !e.appealId.endsWith('-S'))).toBe(true);
  });
});

describe('the simulator after a restart', () => {
  it('checks out the volunteers it finds checked in, as their activity ends', async () => {
    const start = Date.parse('2026-12-09T10:00:00+08:00');
    const venue = network.nodes.find((n) => n.level === 'point')?.id ?? '';
    const openCheckins = Array.from({ length: 20 }, (_, i) => ({
      activityId: 'ACT-000042',
      nodeId: venue,
      volunteerId: `V${String(i * 118 + 1).padStart(6, '0')}`,
      volunteerName: '志愿者',
      at: start - 2 * HOUR,
    }));
    let t = start;
    const events: PracticeEvent[] = [];
    const sim = createSimulator({
      network,
      seed: 4,
      now: () => t,
      tickMs: MIN,
      openCheckins,
      emit: (b) => void events.push(...b),
    });
    for (; t <= start + 5 * HOUR; t += MIN) await sim.tick();
    await sim.stop();
    const out = events.filter((e) => e.type === 'checkout' && e.activityId === 'ACT-000042');
    // the activity started 1 h 45 min ago and runs 1.5 to 4 hours: every one is out within 2 h 35 min
    expect(out.map((e) => (e.type === 'checkout' ? e.volunteerId : '')).sort()).toEqual(
      openCheckins.map((c) => c.volunteerId).sort(),
    );
    expect(Math.max(...out.map((e) => e.ts))).toBeLessThanOrEqual(start + 2 * HOUR + 35 * MIN);
    expect(out.every((e) => e.type === 'checkout' && e.hours >= 2 && e.hours <= 4.6)).toBe(true);
  });

  it('reads on the articles the store already holds, from the first minutes', async () => {
    const start = Date.parse('2026-12-09T21:00:00+08:00');
    const centre = network.nodes.find((n) => n.level === 'center')?.id ?? '';
    let t = start;
    const events: PracticeEvent[] = [];
    const recentArticles = [{ id: 'ART-000001', nodeId: centre }];
    const sim = createSimulator({
      network,
      seed: 6,
      now: () => t,
      tickMs: MIN,
      recentArticles,
      emit: (b) => void events.push(...b),
    });
    for (; t <= start + 10 * MIN; t += MIN) await sim.tick();
    await sim.stop();
    // 21:00 is the reading peak: about 17 read reports in ten minutes, all on the one article until a new one appears
    const reads = events.filter((e) => e.type === 'media.read' && e.articleId === 'ART-000001');
    expect(reads.length).toBeGreaterThan(0);
  });

  it('fills the time since the store’s newest event as the rhythm has it, so the day goes on', async () => {
    const h = Date.parse('2026-12-09T09:00:00+08:00');
    let checkins = 0;
    for (let seed = 1; seed <= RUNS; seed++) {
      const events: PracticeEvent[] = [];
      const t = h + HOUR;
      const since = h - HOUR;
      const sim = createSimulator({
        network,
        seed,
        now: () => t,
        tickMs: MIN,
        since,
        emit: (b) => void events.push(...b),
      });
      await sim.tick(); // the first tick, at 10:00, fills 08:00–10:00
      await sim.stop();
      checkins += events.filter((e) => e.type === 'checkin' && e.ts >= h && e.ts < h + HOUR).length;
    }
    const expected = RUNS * historyCheckins(h);
    expect(Math.abs(checkins - expected)).toBeLessThanOrEqual(4.5 * Math.sqrt(expected * spread) + 1);
  });
});
