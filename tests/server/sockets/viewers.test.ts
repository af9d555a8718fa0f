/** Presence on the dispatch console (server/sockets/viewers.ts): who has which order open. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Viewers } from '../../../server/sockets/viewers.js';

const li = { id: 'd1', name: '李调度' };
const wang = { id: 'd2', name: '王调度' };

describe('Viewers', () => {
  it('announces the order left and the one opened, and counts a person in two tabs once', () => {
    const v = new Viewers();
    expect(v.set('s1', { orderId: 'ORD-1', viewer: li })).toEqual(['ORD-1']);
    expect(v.set('s2', { orderId: 'ORD-1', viewer: li })).toEqual(['ORD-1']);
    expect(v.set('s3', { orderId: 'ORD-1', viewer: wang })).toEqual(['ORD-1']);
    expect(v.of('ORD-1')).toEqual([li, wang]);
    expect(v.set('s1', { orderId: 'ORD-2', viewer: li })).toEqual(['ORD-1', 'ORD-2']);
    expect(v.of('ORD-1')).toEqual([li, wang]);
    expect(v.of('ORD-2')).toEqual([li]);
    expect(v.viewed().sort()).toEqual(['ORD-1', 'ORD-2']);
  });

  it('announces an order opened again once, and nothing for a socket that had none open', () => {
    const v = new Viewers();
    expect(v.set('s1', null)).toEqual([]);
    v.set('s1', { orderId: 'ORD-1', viewer: li });
    expect(v.set('s1', { orderId: 'ORD-1', viewer: li })).toEqual(['ORD-1']);
    expect(v.set('s1', null)).toEqual(['ORD-1']);
    expect(v.of('ORD-1')).toEqual([]);
    expect(v.viewed()).toEqual([]);
  });

  it('after any sequence of opens and closes, an order is viewed by exactly the people whose last open was it (property)', () => {
    const arbOpen = fc.record({
      socket: fc.constantFrom('s1', 's2', 's3', 's4'),
      open: fc.option(fc.record({ orderId: fc.constantFrom('ORD-1', 'ORD-2'), viewer: fc.constantFrom(li, wang) }), {
        nil: null,
      }),
    });
    fc.assert(
      fc.property(fc.array(arbOpen, { maxLength: 40 }), (steps) => {
        const v = new Viewers();
        const last = new Map<string, { orderId: string; viewer: typeof li } | null>();
        for (const { socket, open } of steps) {
          const before = last.get(socket)?.orderId;
          const changed = v.set(socket, open);
          last.set(socket, open);
          // Every order whose viewers changed is announced.
          if (before !== undefined) expect(changed).toContain(before);
          if (open) expect(changed).toContain(open.orderId);
        }
        for (const orderId of ['ORD-1', 'ORD-2']) {
          const expected = new Set([...last.values()].flatMap((o) => (o?.orderId === orderId ? [o.viewer.id] : [])));
          expect(new Set(v.of(orderId).map((x) => x.id))).toEqual(expected);
        }
      }),
      { numRuns: 500 },
    );
  });
});
