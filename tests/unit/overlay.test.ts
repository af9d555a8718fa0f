import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PracticeEvent } from '../../shared/events.js';
import { emptyKpi } from '../../shared/kpi.js';
import { DayPresence, dayOf, type Presence } from '../../shared/presence.js';
import { applyToKpi, applyToTrend, changedPoints, slideTrend, summarize } from '../../server/live/overlay.js';
import { appealReceived, checkin, checkout } from '../helpers/events.js';

const NOW = Date.UTC(2026, 10, 23, 4, 30); // 12:30 in Shuangliu

function todayState(nowMs: number, activities: Iterable<string>, volunteers: Iterable<[string, Presence]>) {
  const presence = new DayPresence(dayOf(nowMs));
  for (const a of activities) presence.activities.add(a);
  for (const [id, p] of volunteers) presence.merge(id, p);
  return presence;
}
const noOne = todayState(NOW, [], []);

describe('applyToKpi', () => {
  it("counts today's check-ins and appeals on top of the base figures", () => {
    const base = { ...emptyKpi(0), checkinsToday: 10, appealsReceived: 100, appealsClosed: 98 };
    const k = applyToKpi(
      base,
      noOne,
      [summarize([checkin({ ts: NOW }), checkin({ ts: NOW, volunteerId: 'V2' }), appealReceived({ ts: NOW })], NOW)],
      NOW,
    );
    expect(k.checkinsToday).toBe(12);
    expect(k.volunteersActive).toBe(2);
    expect(k.activitiesToday).toBe(1);
    expect(k.appealsReceived).toBe(101);
    expect(k.appealClosureRate).toBeCloseTo(98 / 101, 6);
    expect(k.asOf).toBe(NOW);
  });
  it('counts a volunteer who checks in twice once, in this batch and across batches and the base', () => {
    const base = todayState(NOW, ['A1'], [['V1', { checkedIn: true, ts: NOW - 60_000 }]]);
    const k = applyToKpi(
      { ...emptyKpi(0), volunteersActive: 1, activitiesToday: 1 },
      base,
      [
        summarize([checkin({ ts: NOW, volunteerId: 'V1' }), checkin({ ts: NOW + 1, volunteerId: 'V1' })], NOW),
        summarize([checkin({ ts: NOW + 2, volunteerId: 'V1' })], NOW),
      ],
      NOW,
    );
    expect(k.volunteersActive).toBe(1);
    expect(k.activitiesToday).toBe(1);
    expect(k.checkinsToday).toBe(3);
  });
  it('takes a volunteer off duty on check-out, and a late check-in older than it changes nothing', () => {
    const base = todayState(
      NOW,
      ['A1'],
      [
        ['V1', { checkedIn: true, ts: NOW - 60_000 }],
        ['V2', { checkedIn: true, ts: NOW - 60_000 }],
      ],
    );
    const out = summarize([checkout({ ts: NOW, volunteerId: 'V1' })], NOW);
    const late = summarize([checkin({ ts: NOW - 30_000, volunteerId: 'V1' })], NOW);
    expect(applyToKpi(emptyKpi(0), base, [out], NOW).volunteersActive).toBe(1);
    expect(applyToKpi(emptyKpi(0), base, [out, late], NOW).volunteersActive).toBe(1);
    expect(applyToKpi(emptyKpi(0), base, [late, out], NOW).volunteersActive).toBe(1);
  });
  it('lets the check-out win a tie on the same millisecond, as argMax(type, (ts, type)) does', () => {
    const both = [checkin({ ts: NOW, volunteerId: 'V1' }), checkout({ ts: NOW, volunteerId: 'V1' })];
    expect(applyToKpi(emptyKpi(0), noOne, [summarize(both, NOW)], NOW).volunteersActive).toBe(0);
    expect(applyToKpi(emptyKpi(0), noOne, [summarize([...both].reverse(), NOW)], NOW).volunteersActive).toBe(0);
  });
  it("leaves yesterday's check-ins out of today's count", () => {
    const k = applyToKpi(emptyKpi(0), noOne, [summarize([checkin({ ts: NOW - 86_400_000 })], NOW)], NOW);
    expect(k.checkinsToday).toBe(0);
    expect(k.volunteersActive).toBe(0);
  });
  it("drops a pending delta's today-figures once the day has turned", () => {
    const delta = summarize([checkin({ ts: NOW }), appealReceived({ ts: NOW })], NOW);
    const k = applyToKpi(emptyKpi(0), noOne, [delta], NOW + 86_400_000);
    expect(k.checkinsToday).toBe(0);
    expect(k.appealsReceived).toBe(1);
  });
  it("starts today's figures from nothing when the base was evaluated before midnight", () => {
    const base = {
      ...emptyKpi(0),
      checkinsToday: 40,
      volunteersActive: 1,
      activitiesToday: 1,
      mediaReadsToday: 9,
      appealsReceived: 5,
    };
    const yesterday = todayState(NOW, ['A1'], [['V1', { checkedIn: true, ts: NOW }]]);
    const k = applyToKpi(base, yesterday, [], NOW + 86_400_000);
    expect(k).toMatchObject({
      checkinsToday: 0,
      volunteersActive: 0,
      activitiesToday: 0,
      mediaReadsToday: 0,
      appealsReceived: 5,
    });
  });
  it('does not mutate the base', () => {
    const base = emptyKpi(0);
    applyToKpi(base, noOne, [summarize([checkin({ ts: NOW })], NOW)], NOW);
    expect(base.checkinsToday).toBe(0);
  });

  // What ClickHouse answers once everything is stored, written the plain way over the whole history.
  function stored(events: readonly PracticeEvent[]) {
    const last = new Map<string, { checkedIn: boolean; ts: number }>();
    const activities = new Set<string>();
    let checkins = 0;
    for (const e of events) {
      if ((e.type !== 'checkin' && e.type !== 'checkout') || dayOf(e.ts) !== dayOf(NOW)) continue;
      if (e.type === 'checkin') {
        checkins += 1;
        activities.add(e.activityId);
      }
      const p = { checkedIn: e.type === 'checkin', ts: e.ts };
      const known = last.get(e.volunteerId);
      const wins = !known || p.ts > known.ts || (p.ts === known.ts && !p.checkedIn);
      if (wins) last.set(e.volunteerId, p);
    }
    const kpi = {
      ...emptyKpi(NOW),
      checkinsToday: checkins,
      activitiesToday: activities.size,
      volunteersActive: [...last.values()].filter((p) => p.checkedIn).length,
    };
    return { kpi, today: todayState(NOW, activities, last) };
  }

  it('equals the stored figures however the events split into evaluated and pending batches', () => {
    const event = fc
      .record({
        out: fc.boolean(),
        volunteer: fc.constantFrom('V1', 'V2', 'V3', 'V4'),
        activity: fc.constantFrom('A1', 'A2', 'A3'),
        // Mostly today, a few yesterday; few distinct times so ties happen.
        ts: fc.oneof(
          fc.integer({ min: 0, max: 20 }).map((m) => NOW + m * 1000),
          fc.constant(NOW - 86_400_000),
        ),
      })
      .map(({ out, volunteer, activity, ts }) =>
        out ? checkout({ ts, volunteerId: volunteer }) : checkin({ ts, volunteerId: volunteer, activityId: activity }),
      );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), fc.nat(40), fc.array(fc.nat(40)), (events, cut, splits) => {
        const evaluated = events.slice(0, cut);
        const pending = events.slice(cut);
        const bounds = [...new Set([0, ...splits.map((s) => s % (pending.length + 1)), pending.length])].sort(
          (a, b) => a - b,
        );
        const batches = bounds.slice(1).map((b, i) => summarize(pending.slice(bounds[i], b), NOW));
        const base = stored(evaluated);
        const k = applyToKpi(base.kpi, base.today, batches, NOW);
        const all = stored(events).kpi;
        expect([k.checkinsToday, k.activitiesToday, k.volunteersActive]).toEqual([
          all.checkinsToday,
          all.activitiesToday,
          all.volunteersActive,
        ]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('trend', () => {
  it('slides the window, zero-fills, and adds raw check-ins to their minute', () => {
    const minute = Math.floor(NOW / 60_000) * 60_000;
    const base = slideTrend([{ t: minute - 60_000, checkins: 4 }], NOW, 60);
    expect(base).toHaveLength(60);
    expect(base.at(-1)).toEqual({ t: minute, checkins: 0 });
    expect(base.at(-2)).toEqual({ t: minute - 60_000, checkins: 4 });
    const next = applyToTrend(base, [summarize([checkin({ ts: NOW })], NOW)]);
    expect(next.at(-1)?.checkins).toBe(1);
    expect(changedPoints(base, next)).toEqual([{ t: minute, checkins: 1 }]);
  });
  it('ignores check-ins outside the window', () => {
    const base = slideTrend([], NOW, 60);
    expect(changedPoints(base, applyToTrend(base, [summarize([checkin({ ts: NOW - 3 * 3_600_000 })], NOW)]))).toEqual(
      [],
    );
  });
});
