import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderState } from '../../shared/events.js';
import { EXPIRE_AFTER_MS, ORDER_SLA_MS, dueAt, timerAction } from '../../shared/order-sla.js';
import {
  apply,
  CENTER_COMMANDS,
  CLOSED_STATES,
  decide,
  isClosed,
  OrderCode,
  request,
  STAFFED_STATES,
  type Order,
  type OrderCommand,
  type Places,
} from '../../shared/orders.js';

/** Two towns: I01 with S001/S002 and volunteers V1, V2; I02 with S101 and V9. */
const TOWN: Record<string, string> = { I01: 'I01', I02: 'I02', S001: 'I01', S002: 'I01', S101: 'I02' };
const PEOPLE: Record<string, string> = { V1: 'I01', V2: 'I01', V9: 'I02', 'I01:S001:T01': 'I01' };
const places: Places = {
  instituteOf: (kind, id) =>
    kind === 'institute'
      ? id.startsWith('I') && !id.includes(':')
        ? TOWN[id]
        : undefined
      : kind === 'station'
        ? id.startsWith('S')
          ? TOWN[id]
          : undefined
        : PEOPLE[id],
};
const T0 = 1_790_000_000_000;
const fresh = (): Order => request('ORD-1', '代购药品', 'S001', 'I01', T0);

/** Applies commands in turn, each naming the current version; answers the last order and every result. */
function run(commands: OrderCommand[], order = fresh()) {
  const results = [];
  for (const [i, c] of commands.entries()) {
    const r = decide(order, c, order.version, T0 + (i + 1) * 1000, places, 'center');
    results.push(r);
    if (r.ok) order = apply(order, r.data);
  }
  return { order, results };
}

const HAPPY: OrderCommand[] = [
  { type: 'accept' },
  { type: 'dispatch_institute', instituteId: 'I01' },
  { type: 'dispatch_station', stationId: 'S001' },
  { type: 'claim', assignee: { kind: 'volunteer', id: 'V1' } },
  { type: 'start' },
  { type: 'complete' },
  { type: 'rate', score: 5 },
];

describe('decide', () => {
  it('walks 点单 → 制单 → 派单 → 接单 → service → rating, one version per step', () => {
    const { order, results } = run(HAPPY);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(order.state).toBe('rated');
    expect(order.version).toBe(8);
    expect(order.assignee).toBeNull();
  });

  it('refuses a stale version with the current one named', () => {
    const r = decide(fresh(), { type: 'accept' }, 7, T0, places, 'center');
    expect(r).toMatchObject({ ok: false, error: { code: OrderCode.staleVersion } });
    if (!r.ok) expect(r.error.message).toContain('version 1');
  });

  it('refuses an illegal transition with the state it is in', () => {
    const r = decide(fresh(), { type: 'start' }, 1, T0, places, 'center');
    expect(r).toMatchObject({ ok: false, error: { code: OrderCode.illegalTransition } });
    if (!r.ok) expect(r.error.message).toBe('cannot start an order that is requested');
  });

  it("keeps a 所's own dispatch inside its town and refuses unknown targets", () => {
    const at = run(HAPPY.slice(0, 2)).order;
    expect(decide(at, { type: 'dispatch_station', stationId: 'S101' }, at.version, T0, places, 'center')).toMatchObject(
      {
        ok: false,
        error: { code: OrderCode.outOfTown },
      },
    );
    expect(decide(at, { type: 'dispatch_station', stationId: 'S999' }, at.version, T0, places, 'center')).toMatchObject(
      {
        ok: false,
        error: { code: OrderCode.unknownTarget },
      },
    );
  });

  it('reassigns a claimed order to another volunteer, freeing the first', () => {
    const claimed = run(HAPPY.slice(0, 4)).order;
    const r = decide(
      claimed,
      { type: 'reassign', target: { kind: 'volunteer', id: 'V2' } },
      claimed.version,
      T0,
      places,
      'town',
    );
    expect(r).toMatchObject({
      ok: true,
      data: { to: 'claimed', assignee: { id: 'V2' }, freed: { id: 'V1' }, version: claimed.version + 1 },
    });
  });

  it('reassigns to a 站 of another town (the district moves the order there)', () => {
    const claimed = run(HAPPY.slice(0, 4)).order;
    const r = decide(
      claimed,
      { type: 'reassign', target: { kind: 'station', id: 'S101' } },
      claimed.version,
      T0,
      places,
      'center',
    );
    expect(r).toMatchObject({
      ok: true,
      data: { to: 'dispatched_station', instituteId: 'I02', stationId: 'S101', assignee: null, freed: { id: 'V1' } },
    });
  });

  it('keeps 接单 in the town the order was dispatched to, and a town from reassigning across towns', () => {
    // Dispatched to I01's S001: I02's V9 cannot claim it, whoever sends the claim.
    const atStation = run(HAPPY.slice(0, 3)).order;
    const v9 = { type: 'claim', assignee: { kind: 'volunteer', id: 'V9' } } as const;
    for (const by of ['center', 'town'] as const) {
      expect(decide(atStation, v9, atStation.version, T0, places, by)).toMatchObject({
        ok: false,
        error: { code: OrderCode.outOfTown },
      });
    }
    // Moving a claimed order to another town's volunteer or 站 is the center's call.
    const claimed = run(HAPPY.slice(0, 4)).order;
    for (const target of [
      { kind: 'volunteer', id: 'V9' },
      { kind: 'station', id: 'S101' },
      { kind: 'institute', id: 'I02' },
    ] as const) {
      const command = { type: 'reassign', target } as const;
      expect(decide(claimed, command, claimed.version, T0, places, 'town')).toMatchObject({
        ok: false,
        error: { code: OrderCode.outOfTown },
      });
      expect(decide(claimed, command, claimed.version, T0, places, 'center')).toMatchObject({ ok: true });
    }
  });

  it('escalates a 站 that did not claim back to its 所, and a 所 back to the center', () => {
    const atStation = run(HAPPY.slice(0, 3)).order;
    const up = run([{ type: 'escalate' }, { type: 'escalate' }], atStation);
    expect(up.order.state).toBe('accepted_by_center');
    expect(up.order.stationId).toBe('');
    expect(run([{ type: 'escalate' }], up.order).results[0]).toMatchObject({ ok: false });
  });

  it('closing frees whoever is on the order', () => {
    const claimed = run(HAPPY.slice(0, 4)).order;
    const r = decide(claimed, { type: 'cancel' }, claimed.version, T0, places, 'center');
    expect(r).toMatchObject({ ok: true, data: { to: 'cancelled', assignee: null, freed: { id: 'V1' } } });
  });

  it('refuses a rating outside 1–5', () => {
    const done = run(HAPPY.slice(0, 6)).order;
    expect(decide(done, { type: 'rate', score: 6 }, done.version, T0, places, 'center')).toMatchObject({
      ok: false,
      error: { code: OrderCode.invalidScore },
    });
  });
});

describe('SLA', () => {
  it('is due after the state limit and escalates 所/站 levels only', () => {
    const o = fresh();
    expect(dueAt(o)).toBe(T0 + (ORDER_SLA_MS.requested ?? 0));
    expect(timerAction(o, T0 + 31 * 60_000)).toBeNull();
    const atStation = run(HAPPY.slice(0, 3)).order;
    const due = dueAt(atStation) ?? 0;
    expect(timerAction(atStation, due - 1)).toBeNull();
    expect(timerAction(atStation, due)).toBe('escalate');
  });
  it('expires an order nobody took within 48 hours, never a claimed one', () => {
    expect(timerAction(fresh(), T0 + EXPIRE_AFTER_MS)).toBe('expire');
    const claimed = run(HAPPY.slice(0, 4)).order;
    expect(timerAction(claimed, T0 + EXPIRE_AFTER_MS * 2)).toBeNull();
  });
});

const ids = ['I01', 'I02', 'I77', 'S001', 'S002', 'S101', 'V1', 'V2', 'V9', 'I01:S001:T01', 'X'];
const arbCommand: fc.Arbitrary<OrderCommand> = fc.oneof(
  fc.constantFrom<OrderCommand>(
    { type: 'accept' },
    { type: 'start' },
    { type: 'complete' },
    { type: 'escalate' },
    { type: 'expire' },
    { type: 'reject' },
    { type: 'cancel' },
  ),
  fc.constantFrom(...ids).map((id): OrderCommand => ({ type: 'dispatch_institute', instituteId: id })),
  fc.constantFrom(...ids).map((id): OrderCommand => ({ type: 'dispatch_station', stationId: id })),
  fc
    .record({ kind: fc.constantFrom('volunteer' as const, 'team' as const), id: fc.constantFrom(...ids) })
    .map((assignee): OrderCommand => ({ type: 'claim', assignee })),
  fc
    .record({
      kind: fc.constantFrom('institute' as const, 'station' as const, 'volunteer' as const, 'team' as const),
      id: fc.constantFrom(...ids),
    })
    .map((target): OrderCommand => ({ type: 'reassign', target })),
  fc.integer({ min: -1, max: 7 }).map((score): OrderCommand => ({ type: 'rate', score })),
);
/** A command with the version it names: mostly the current one, sometimes a stale or future one. */
const arbStep = fc.record({ command: arbCommand, skew: fc.constantFrom(0, 0, 0, 0, -1, 1) });

describe('decide, property-based', () => {
  it('no command sequence reaches an illegal state; versions only grow; closing frees volunteers', () => {
    fc.assert(
      fc.property(fc.array(arbStep, { maxLength: 40 }), (steps) => {
        let order = fresh();
        /** Who the transitions say is on the order, tracked only from `assignee` and `freed`. */
        const holding = new Set<string>();
        for (const [i, { command, skew }] of steps.entries()) {
          const before = order;
          const r = decide(order, command, order.version + skew, T0 + i, places, 'center');
          if (skew !== 0) expect(r).toMatchObject({ ok: false, error: { code: OrderCode.staleVersion } });
          if (!r.ok) continue;
          expect(isClosed(before.state)).toBe(before.state === 'completed' && command.type === 'rate');
          expect(r.data.version).toBe(before.version + 1);
          if (r.data.freed) holding.delete(r.data.freed.id);
          if (r.data.assignee) holding.add(r.data.assignee.id);
          order = apply(order, r.data);
          expect(Object.values(OrderState)).toContain(order.state);
          // Someone is on the order exactly in the staffed states, and nobody once it is closed.
          expect(order.assignee !== null).toBe(STAFFED_STATES.includes(order.state));
          if (CLOSED_STATES.includes(order.state)) expect(holding.size).toBe(0);
          expect([...holding]).toEqual(order.assignee ? [order.assignee.id] : []);
          // A town-level target never leaves the order without a town.
          expect(order.instituteId).toMatch(/^I0[12]$/);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('a town never moves an order, its 站 or its claim out of its town; only the center does (property)', () => {
    const townOf = (kind: 'volunteer' | 'team', id: string) => places.instituteOf(kind, id);
    fc.assert(
      fc.property(
        fc.array(fc.record({ command: arbCommand, by: fc.constantFrom('center', 'town') }), {
          maxLength: 40,
        }),
        (steps) => {
          let order = fresh();
          for (const [i, { command, by }] of steps.entries()) {
            // A town's dispatcher is refused the center's own commands before any deciding (the service's role check).
            if (by === 'town' && CENTER_COMMANDS.includes(command.type)) continue;
            const r = decide(order, command, order.version, T0 + i, places, by);
            if (!r.ok) continue;
            const after = apply(order, r.data);
            if (by === 'town' && command.type !== 'escalate') expect(after.instituteId).toBe(order.instituteId);
            // The 站 holding an order is always of the order's town.
            if (after.stationId !== '') expect(places.instituteOf('station', after.stationId)).toBe(after.instituteId);
            // A claim is always by the order's own town; another town's helper only by the center's reassignment.
            if (command.type === 'claim' && after.assignee) {
              expect(townOf(after.assignee.kind, after.assignee.id)).toBe(after.instituteId);
            }
            if (command.type === 'reassign' && by === 'town' && after.assignee) {
              expect(townOf(after.assignee.kind, after.assignee.id)).toBe(after.instituteId);
            }
            order = after;
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('two commands decided on the same version: once one is applied, the other is stale', () => {
    fc.assert(
      fc.property(fc.array(arbCommand, { maxLength: 12 }), arbCommand, arbCommand, (prefix, a, b) => {
        const { order } = run(prefix);
        const first = decide(order, a, order.version, T0, places, 'center');
        // Only sequences where `a` wins say something about `b`.
        if (!first.ok) return;
        const after = apply(order, first.data);
        expect(decide(after, b, order.version, T0, places, 'center')).toMatchObject({
          ok: false,
          error: { code: OrderCode.staleVersion },
        });
      }),
      { numRuns: 1_000 },
    );
  });
});
