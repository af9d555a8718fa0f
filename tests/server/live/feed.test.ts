import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PracticeEvent } from '../../../shared/events.js';
import { newestFirst } from '../../../shared/live-merge.js';
import { FEED_TYPES, newestFeedEvents } from '../../../server/live/feed.js';
import { appealReceived, checkin, checkout } from '../../helpers/events.js';

/** What the hub did before: every feed event sorted (stably), then cut. */
const sortedThenCut = (events: readonly PracticeEvent[], n: number) =>
  events
    .filter((e) => FEED_TYPES.has(e.type))
    .sort(newestFirst)
    .slice(0, n);

describe('newestFeedEvents', () => {
  it('keeps the newest feed events, newest first, and leaves out the kinds that are no line', () => {
    const old = checkin({ ts: 1_000 });
    const newer = appealReceived({ ts: 3_000 });
    const middle = checkin({ ts: 2_000 });
    const gone = checkout({ ts: 4_000 });
    expect(newestFeedEvents([old, newer, gone, middle], 2)).toEqual([newer, middle]);
  });

  it('answers what sorting the whole batch and cutting it answers, ties and repeated ids included', () => {
    // Few distinct times and ids, so ties (same ts, same id: the sort keeps their order) are common.
    const event = fc
      .record({
        kind: fc.constantFrom('checkin', 'checkout', 'appeal'),
        ts: fc.integer({ min: 0, max: 5 }),
        id: fc.constantFrom(
          '00000000-0000-4000-8000-000000000001',
          '00000000-0000-4000-8000-000000000002',
          '00000000-0000-4000-8000-000000000003',
        ),
        volunteerId: fc.constantFrom('V1', 'V2', 'V3', 'V4'),
      })
      .map(({ kind, ts, id, volunteerId }) =>
        kind === 'checkin'
          ? checkin({ id, ts, volunteerId })
          : kind === 'checkout'
            ? checkout({ id, ts, volunteerId })
            : appealReceived({ id, ts }),
      );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), fc.integer({ min: 0, max: 12 }), (events, n) => {
        const kept = newestFeedEvents(events, n);
        const expected = sortedThenCut(events, n);
        // The very objects, in the very order: equal-looking events must not swap.
        expect(kept.length).toBe(expected.length);
        kept.forEach((e, i) => expect(e).toBe(expected[i]));
      }),
    );
  });
});
