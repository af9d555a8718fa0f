import { describe, expect, it } from 'vitest';
import { closureRate, emptyKpi } from '../../shared/kpi.js';

describe('closureRate', () => {
  it("reproduces the article's 97.8 % (19,597 of 20,038)", () => {
    expect(closureRate(20_038, 19_597)).toBeCloseTo(0.978, 3);
  });
  it('is 0 with nothing received and never above 1', () => {
    expect(closureRate(0, 5)).toBe(0);
    expect(closureRate(10, 12)).toBe(1);
  });
});

describe('emptyKpi', () => {
  it('starts every figure at zero at the given time', () => {
    const k = emptyKpi(123);
    expect(k.asOf).toBe(123);
    expect(k.checkinsToday + k.appealsReceived + k.mediaReadsToday).toBe(0);
  });
});
