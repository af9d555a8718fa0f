import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DayPresence, dayOf, later, type Presence } from '../../shared/presence.js';

describe('dayOf', () => {
  it('turns the day at midnight China time, not UTC', () => {
    const beforeMidnight = Date.UTC(2026, 10, 23, 15, 59);
    const afterMidnight = Date.UTC(2026, 10, 23, 16, 1);
    expect(dayOf(afterMidnight) - dayOf(beforeMidnight)).toBe(1);
  });
});

describe('later', () => {
  it('takes the newer presence, and the check-out on the same millisecond', () => {
    const inAt = (ts: number): Presence => ({ checkedIn: true, ts });
    const outAt = (ts: number): Presence => ({ checkedIn: false, ts });
    expect(later(inAt(2), outAt(1))).toEqual(inAt(2));
    expect(later(outAt(1), inAt(2))).toEqual(inAt(2));
    expect(later(inAt(1), outAt(1))).toEqual(outAt(1));
    expect(later(outAt(1), inAt(1))).toEqual(outAt(1));
  });
});

describe('DayPresence', () => {
  it('counts a volunteer on duty once, and off after a later check-out', () => {
    const p = new DayPresence(1);
    p.merge('V1', { checkedIn: true, ts: 10 });
    p.merge('V1', { checkedIn: true, ts: 20 });
    p.merge('V2', { checkedIn: true, ts: 15 });
    expect(p.active).toBe(2);
    p.merge('V1', { checkedIn: false, ts: 30 });
    p.merge('V1', { checkedIn: true, ts: 25 });
    expect(p.active).toBe(1);
  });

  const presence = fc.record({ checkedIn: fc.boolean(), ts: fc.integer({ min: 0, max: 5 }) });
  const rows = fc.array(fc.tuple(fc.constantFrom('V1', 'V2', 'V3'), presence), { maxLength: 30 });

  it('ends the same however the rows are ordered or re-read, and keeps its count', () => {
    fc.assert(
      fc.property(rows, fc.nat(30), fc.nat(30), (all, from, to) => {
        const once = new DayPresence(1);
        for (const [id, p] of all) once.merge(id, p);
        // Read in reverse with an overlapping slice read twice, as the store's re-read does.
        const twice = new DayPresence(1);
        for (const [id, p] of [...all.slice(Math.min(from, to), Math.max(from, to)), ...all].reverse())
          twice.merge(id, p);
        expect(Object.fromEntries(twice.volunteers)).toEqual(Object.fromEntries(once.volunteers));
        expect(twice.active).toBe([...once.volunteers.values()].filter((p) => p.checkedIn).length);
        expect(once.active).toBe(twice.active);
      }),
    );
  });
});
