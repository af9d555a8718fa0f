/** The citizens' contract's pure parts: the category titles, the service window, and the steps a citizen follows. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { categoryOf, ORDER_CATEGORIES } from '../../shared/candidates.js';
import type { OrderState } from '../../shared/events.js';
import {
  CATEGORY_TITLE,
  citizenOrderTitle,
  stepTimes,
  TRACK_STEPS,
  windowProblem,
  windowText,
  WINDOW_AHEAD_MS,
  WINDOW_MAX_MS,
} from '../../shared/public.js';

const H = 3_600_000;
const NOW = Date.UTC(2026, 11, 7, 2, 0); // 10:00 in the county

describe('a citizen order’s title', () => {
  it('is filed by the console under the category asked for, whatever the window', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ORDER_CATEGORIES), fc.integer({ min: 0, max: 14 * 24 }), (c, h) => {
        const title = citizenOrderTitle(c, { from: NOW + h * H, to: NOW + (h + 2) * H });
        expect(categoryOf(title) || 'other').toBe(c);
      }),
    );
    expect(Object.keys(CATEGORY_TITLE).sort()).toEqual([...ORDER_CATEGORIES].sort());
  });

  it('writes the window on the county’s clock', () => {
    expect(windowText({ from: NOW + 23 * H, to: NOW + 25 * H })).toBe('12月08日 09:00–11:00');
    expect(windowText({ from: NOW + 12 * H, to: NOW + 15 * H })).toBe('12月07日 22:00–12月08日 01:00');
  });
});

describe('windowProblem', () => {
  it('takes a window up to 12 h long starting within 14 days', () => {
    expect(windowProblem({ from: NOW + H, to: NOW + 3 * H }, NOW)).toBeNull();
    expect(windowProblem({ from: NOW, to: NOW + WINDOW_MAX_MS }, NOW)).toBeNull();
    expect(windowProblem({ from: NOW + WINDOW_AHEAD_MS, to: NOW + WINDOW_AHEAD_MS + H }, NOW)).toBeNull();
  });
  it('names what is wrong', () => {
    expect(windowProblem({ from: NOW + 3 * H, to: NOW + H }, NOW)).toBe('order');
    expect(windowProblem({ from: NOW + H, to: NOW + H }, NOW)).toBe('order');
    expect(windowProblem({ from: NOW, to: NOW + WINDOW_MAX_MS + 1 }, NOW)).toBe('long');
    expect(windowProblem({ from: NOW - 5 * H, to: NOW - 3 * H }, NOW)).toBe('past');
    expect(windowProblem({ from: NOW + WINDOW_AHEAD_MS + 1, to: NOW + WINDOW_AHEAD_MS + H }, NOW)).toBe('far');
  });
});

describe('stepTimes', () => {
  const h = (to: OrderState, at: number) => ({ to, at });
  it('marks each step reached up to the current one, at its first time', () => {
    const history = [
      h('requested', 1),
      h('accepted_by_center', 2),
      h('dispatched_institute', 3),
      h('dispatched_station', 4),
      h('claimed', 5),
    ];
    expect(stepTimes(history, 'claimed')).toEqual([
      { step: 'requested', at: 1 },
      { step: 'accepted', at: 2 },
      { step: 'dispatched', at: 3 },
      { step: 'claimed', at: 5 },
      { step: 'in_service', at: null },
      { step: 'completed', at: null },
    ]);
  });
  it('opens the later steps again when an order is sent back up', () => {
    const history = [h('requested', 1), h('accepted_by_center', 2), h('dispatched_institute', 3)];
    const escalated = [...history, h('accepted_by_center', 9)];
    expect(stepTimes(escalated, 'accepted_by_center').map((s) => s.at)).toEqual([1, 2, null, null, null, null]);
    const again = [...escalated, h('dispatched_institute', 10)];
    expect(stepTimes(again, 'dispatched_institute')[2]).toEqual({ step: 'dispatched', at: 10 });
  });
  it('keeps what a closed-off order reached, and a rated one complete', () => {
    const cancelled = [h('requested', 1), h('accepted_by_center', 2), h('cancelled', 3)];
    expect(stepTimes(cancelled, 'cancelled').map((s) => s.at)).toEqual([1, 2, null, null, null, null]);
    const done = TRACK_STEPS.length;
    const rated = stepTimes(
      [
        h('requested', 1),
        h('accepted_by_center', 2),
        h('dispatched_institute', 3),
        h('claimed', 4),
        h('in_service', 5),
        h('completed', 6),
        h('rated', 7),
      ],
      'rated',
    );
    expect(rated.filter((s) => s.at !== null)).toHaveLength(done);
  });
});
