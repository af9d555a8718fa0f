import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  candidatePosition,
  categoryOf,
  CHECKIN_FRESH_MS,
  haversineM,
  rankCandidates,
  scoreCandidate,
  type CandidateInput,
} from '../../shared/candidates.js';

const HERE = { lat: 30.5744, lon: 103.9236 };
const near = (dLat: number) => ({ lat: HERE.lat + dLat, lon: HERE.lon });
const candidate = (id: string, over: Partial<CandidateInput>): CandidateInput => ({
  kind: 'volunteer',
  id,
  name: id,
  skills: ['health'],
  load: 0,
  status: 'available',
  from: 'station',
  ...near(0.001),
  ...over,
});

describe('haversineM', () => {
  it('measures a degree of latitude as about 111 km and is symmetric', () => {
    expect(haversineM(HERE, near(1))).toBeGreaterThan(110_000);
    expect(haversineM(HERE, near(1))).toBeLessThan(112_000);
    expect(haversineM(near(0.3), HERE)).toBeCloseTo(haversineM(HERE, near(0.3)), 6);
    expect(haversineM(HERE, HERE)).toBe(0);
  });
});

describe('categoryOf', () => {
  it('maps order titles to the skill they need', () => {
    expect(categoryOf('代购药品')).toBe('health');
    expect(categoryOf('独居老人上门理发')).toBe('elderly');
    expect(categoryOf('留守儿童课业辅导')).toBe('tutoring');
    expect(categoryOf('something else')).toBe('');
  });
});

describe('rankCandidates', () => {
  it('prefers near over far, skilled over unskilled, idle over busy', () => {
    const ranked = rankCandidates(HERE, 'health', [
      candidate('far', { ...near(0.05) }),
      candidate('near', {}),
      candidate('unskilled', { skills: ['law'] }),
      candidate('busy', { load: 3 }),
    ]);
    expect(ranked.map((c) => c.id)).toEqual(['near', 'busy', 'unskilled', 'far']);
    expect(ranked[0]?.skillMatch).toBe(1);
  });
  it('leaves off-duty volunteers out, breaks ties stably and honours the limit', () => {
    const ranked = rankCandidates(
      HERE,
      '',
      [candidate('b', {}), candidate('a', {}), candidate('off', { status: 'off_duty' })],
      1,
    );
    expect(ranked.map((c) => c.id)).toEqual(['a']);
  });
  it('scores between 0 and 1', () => {
    expect(scoreCandidate(0, 1, 0)).toBeCloseTo(1, 9);
    expect(scoreCandidate(1e9, 0, 1e9)).toBeGreaterThanOrEqual(0);
  });
});

describe('candidatePosition', () => {
  const home = near(0.01);
  const scanned = near(0.002);
  it('is the last check-in while it is fresh, the home station after, and says which', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 * CHECKIN_FRESH_MS }), (age) => {
        const now = 1_800_000_000_000;
        const at = candidatePosition(home, { ...scanned, at: now - age }, now);
        if (age <= CHECKIN_FRESH_MS) expect(at).toEqual({ ...scanned, from: 'checkin' });
        else expect(at).toEqual({ ...home, from: 'station' });
      }),
    );
    expect(candidatePosition(home, null, 0)).toEqual({ ...home, from: 'station' });
  });
  it('ranks two volunteers of one station by where they checked in, not at one distance', () => {
    const now = 1_800_000_000_000;
    const ranked = rankCandidates(HERE, '', [
      candidate('here', candidatePosition(home, { ...near(0.0005), at: now - 60_000 }, now)),
      candidate('home', candidatePosition(home, null, now)),
    ]);
    expect(ranked.map((c) => [c.id, c.from])).toEqual([
      ['here', 'checkin'],
      ['home', 'station'],
    ]);
    expect(ranked[0]?.distanceM).toBeLessThan(ranked[1]?.distanceM ?? 0);
  });
});
