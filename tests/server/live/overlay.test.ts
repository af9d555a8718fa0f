import { describe, expect, it } from 'vitest';
import { emptyKpi } from '../../../shared/kpi.js';
import { applyToKpi, applyToTrend, changedPoints, dayOf, slideTrend, summarize } from '../../../server/live/overlay.js';
import { appealReceived, checkin, checkout } from '../../helpers/events.js';

const NOW = Date.UTC(2026, 10, 23, 4, 30); // 12:30 in Shuangliu
/** Figures as evaluated a minute ago. */
const evaluated = (figures: Partial<ReturnType<typeof emptyKpi>> = {}) => ({ ...emptyKpi(NOW - 60_000), ...figures });

describe('applyToKpi', () => {
  it("counts today's check-ins and appeals on top of the base figures", () => {
    const base = evaluated({ checkinsToday: 10, appealsReceived: 100, appealsClosed: 98 });
    const k = applyToKpi(
      base,
      [summarize([checkin({ ts: NOW }), checkin({ ts: NOW, volunteerId: 'V2' }), appealReceived({ ts: NOW })], NOW)],
      NOW,
    );
    expect(k.checkinsToday).toBe(12);
    expect(k.appealsReceived).toBe(101);
    expect(k.appealClosureRate).toBeCloseTo(98 / 101, 6);
    expect(k.asOf).toBe(NOW);
  });
  it('leaves the distinct counts as evaluated: a volunteer checking in twice is not two on duty', () => {
    const base = evaluated({ volunteersActive: 5, activitiesToday: 3 });
    const twice = [checkin({ ts: NOW, volunteerId: 'V1' }), checkin({ ts: NOW + 1, volunteerId: 'V1' })];
    const k = applyToKpi(
      base,
      [summarize(twice, NOW), summarize([checkout({ ts: NOW + 2, volunteerId: 'V9' })], NOW)],
      NOW,
    );
    expect(k).toMatchObject({ volunteersActive: 5, activitiesToday: 3, checkinsToday: 2 });
  });
  it("leaves yesterday's check-ins out of today's count", () => {
    const k = applyToKpi(evaluated(), [summarize([checkin({ ts: NOW - 86_400_000 })], NOW)], NOW);
    expect(k.checkinsToday).toBe(0);
  });
  it("drops a pending delta's today-figures once the day has turned", () => {
    const delta = summarize([checkin({ ts: NOW }), appealReceived({ ts: NOW })], NOW);
    const k = applyToKpi(evaluated(), [delta], NOW + 86_400_000);
    expect(k.checkinsToday).toBe(0);
    expect(k.appealsReceived).toBe(1);
  });
  it("starts today's figures from nothing when the base was evaluated before midnight", () => {
    const base = evaluated({
      checkinsToday: 40,
      volunteersActive: 7,
      activitiesToday: 2,
      mediaReadsToday: 9,
      appealsReceived: 5,
    });
    const k = applyToKpi(base, [], NOW + 86_400_000);
    expect(k).toMatchObject({
      checkinsToday: 0,
      volunteersActive: 0,
      activitiesToday: 0,
      mediaReadsToday: 0,
      appealsReceived: 5,
    });
  });
  it('does not mutate the base', () => {
    const base = evaluated();
    applyToKpi(base, [summarize([checkin({ ts: NOW })], NOW)], NOW);
    expect(base.checkinsToday).toBe(0);
  });
});

describe('dayOf', () => {
  it('turns the day at midnight China time, not UTC', () => {
    const beforeMidnight = Date.UTC(2026, 10, 23, 15, 59);
    const afterMidnight = Date.UTC(2026, 10, 23, 16, 1);
    expect(dayOf(afterMidnight) - dayOf(beforeMidnight)).toBe(1);
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
