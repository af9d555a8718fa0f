/** The 点单 form's time choices: a day and a part of it become a window on the county's clock, today's ended parts not offered. */
import { describe, expect, it } from 'vitest';
import { openSlots, serviceWindow } from '../../client/public/serviceWindow.js';
import { windowProblem } from '../../shared/public.js';

// 2026-12-07 11:15 in the county (UTC+8) is 03:15 UTC.
const MORNING = Date.UTC(2026, 11, 7, 3, 15);
const H = 3_600_000;

describe('serviceWindow', () => {
  it('places each part of the day on the county clock', () => {
    expect(serviceWindow(MORNING, 0, 'morning')).toEqual({
      from: Date.UTC(2026, 11, 7, 0),
      to: Date.UTC(2026, 11, 7, 4),
    });
    expect(serviceWindow(MORNING, 1, 'evening')).toEqual({
      from: Date.UTC(2026, 11, 8, 10),
      to: Date.UTC(2026, 11, 8, 13),
    });
  });
  it('is the county’s day even when the phone’s UTC date is another (00:30 in the county)', () => {
    const lateUtc = Date.UTC(2026, 11, 6, 16, 30);
    expect(serviceWindow(lateUtc, 0, 'afternoon').from).toBe(Date.UTC(2026, 11, 7, 6));
  });
  it('offers only the parts of today not yet over, and every window offered is one the server takes', () => {
    expect(openSlots(MORNING, 0)).toEqual(['morning', 'afternoon', 'evening']);
    expect(openSlots(MORNING + 2 * H, 0)).toEqual(['afternoon', 'evening']);
    expect(openSlots(Date.UTC(2026, 11, 7, 13, 30), 0)).toEqual([]);
    for (let day = 0; day < 7; day += 1)
      for (const slot of openSlots(MORNING, day))
        expect(windowProblem(serviceWindow(MORNING, day, slot), MORNING)).toBeNull();
  });
});
