/**
 * The county's rhythm (seed/rhythm.ts) as a function, and the history's sampling tables built from
 * it (seed/history/params.ts): what the history expects in an hour is what the rhythm says.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countyFacts } from '../../seed/counties.js';
import { historyParams } from '../../seed/history/params.js';
import { generateNetwork } from '../../seed/network.js';
import { dailyCount, dayFactor, expectedCount, KINDS, localTime, ratePerHour, type Kind } from '../../seed/rhythm.js';

const HOUR = 3_600_000;
const YEARLY = {
  shuangliu: countyFacts(generateNetwork('shuangliu')).yearly,
  baokang: countyFacts(generateNetwork('baokang')).yearly,
};
const countyYearly = (c: keyof typeof YEARLY) => YEARLY[c];
const DAY = 24 * HOUR;
const ZONES = ['Asia/Shanghai', 'Asia/Urumqi', 'UTC'];
const kind = fc.constantFrom(...KINDS);
const county = fc.constantFrom('shuangliu' as const, 'baokang' as const);
/** Instants from 2020 to 2035, whole minutes. */
const instant = fc.integer({ min: 26_298_720, max: 34_187_040 }).map((m) => m * 60_000);

describe('the rhythm', () => {
  it('never expects a negative count, and a local day sums to its weekday’s share of the year', () => {
    fc.assert(
      fc.property(kind, county, instant, fc.constantFrom(...ZONES), (k, c, ts, zone) => {
        const yearly = countyYearly(c);
        const midnight = localTime(ts, zone).midnight;
        let day = 0;
        for (let h = 0; h < 24; h++) {
          const rate = ratePerHour(k, yearly, midnight + h * HOUR, zone);
          expect(rate).toBeGreaterThanOrEqual(0);
          day += rate;
        }
        const average = dailyCount(k, yearly);
        expect(day).toBeCloseTo(average * dayFactor(k, ts, zone), 6);
        // weekday weights lie in [0.75, 1.5]; the two volunteer days at most 2.5 times that
        expect(day).toBeGreaterThanOrEqual(average * 0.7);
        expect(day).toBeLessThanOrEqual(average * 1.5 * 2.5);
      }),
      { numRuns: 300 },
    );
  });

  it('sums a week to seven average days, and a year to the article’s figure', () => {
    fc.assert(
      fc.property(kind, county, instant, (k, c, ts) => {
        const yearly = countyYearly(c);
        const week = expectedCount(k, yearly, ts, ts + 7 * DAY) / (7 * dailyCount(k, yearly));
        // a week holding 3 月 5 日 or 12 月 5 日 has up to 1.5 × 1.5 more days' worth of activities (on a weekend)
        expect(week).toBeGreaterThan(0.99);
        expect(week).toBeLessThan(k === 'activity' ? 1 + 2.25 / 7 : 1.0000001);
        // 365 days are 52 weeks and one day more, and which day (a 志愿服务日 Saturday weighs about
        // three average days) moves the year by up to two days' worth: ±0.543 % measured over
        // 2020–2035, so "within 0.5 %" failed now and then on the instant fast-check drew.
        const year = expectedCount(k, yearly, ts, ts + 365 * DAY) / (365 * dailyCount(k, yearly));
        expect(Math.abs(year - 1) * 365).toBeLessThan(2.5);
      }),
      { numRuns: 40 },
    );
  });

  it('is quiet at 3 a.m. and busy at 10 a.m., with volunteers out at weekends', () => {
    const yearly = countyYearly('shuangliu');
    const monday = Date.parse('2026-12-07T00:00:00+08:00');
    const saturday = Date.parse('2026-12-12T00:00:00+08:00');
    const at = (k: Kind, day: number, h: number) => ratePerHour(k, yearly, day + h * HOUR);
    expect(at('activity', monday, 3)).toBeLessThan(at('activity', monday, 10) / 100);
    expect(at('activity', saturday, 10)).toBeGreaterThan(at('activity', monday, 10) * 1.5);
    expect(at('appeal', saturday, 10)).toBeLessThan(at('appeal', monday, 10));
  });
});

describe('the history’s sampling tables', () => {
  const network = generateNetwork('shuangliu');
  const now = Date.parse('2026-12-07T14:30:00+08:00');
  const params = historyParams(network, 20231, 1, now, 136_000);
  const yearly = countyYearly('shuangliu');
  /** The history's expected `kind` in the local hour starting at `ts`: N × the day's share × the hour's. */
  const historyHour = (k: 'activity' | 'appeal' | 'order' | 'publish', count: number, ts: number): number => {
    const cdf = params[`${k}DayCdf`] as number[];
    const hours = params[`${k}Cdf`] as number[];
    const d = Math.round((Number(params['day0']) - localTime(ts, 'Asia/Shanghai').midnight) / DAY);
    const h = localTime(ts, 'Asia/Shanghai').hour;
    return count * ((cdf[d] ?? 0) - (cdf[d - 1] ?? 0)) * ((hours[h] ?? 0) - (hours[h - 1] ?? 0));
  };

  it('expects in any hour of the year what the rhythm expects, within the 365-day window’s rounding', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 364 * 24 }), (back) => {
        const ts = Number(params['day0']) - back * HOUR;
        const pairs = [
          ['activity', Number(params['activities'])],
          ['appeal', Number(params['appeals'])],
          ['order', Number(params['orders'])],
          ['publish', Number(params['articles'])],
        ] as const;
        for (const [k, count] of pairs) {
          const rhythm = ratePerHour(k, yearly, ts);
          expect(Math.abs(historyHour(k, count, ts) / rhythm - 1)).toBeLessThan(0.01);
        }
      }),
      { numRuns: 200 },
    );
  });
});
