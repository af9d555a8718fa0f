/**
 * The dispatch core without I/O (server/dispatch/decide-command.ts, decide-request.ts, decision.ts):
 * a command and the state in, a Decision out. Properties over random command sequences from three
 * dispatchers (the center and two towns): the new state is what applying the decision's events
 * gives, a refusal or replay writes nothing and changes nothing, the audit row tells the same
 * story, and deciding twice decides the same.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DISTRICT } from '../../../shared/auth.js';
import type { OrderCommandBody } from '../../../shared/dispatch.js';
import type { PracticeEvent } from '../../../shared/events.js';
import type { NetworkNode } from '../../../shared/network.js';
import { apply, request, STAFFED_STATES, type Order, type OrderCommand } from '../../../shared/orders.js';
import { toCommandBody } from '../../../shared/dispatch.js';
import type { DispatchActor } from '../../../server/dispatch/actor.js';
import { answerOf } from '../../../server/dispatch/commit.js';
import { decideCommand } from '../../../server/dispatch/decide-command.js';
import { decideRequest } from '../../../server/dispatch/decide-request.js';
import { unwritten, type DispatchState } from '../../../server/dispatch/decision.js';
import { derivedId } from '../../../server/dispatch/ids.js';

/** Two towns: I01 with S001, S002 and the point P1; I02 with S101. */
const node = (id: string, level: NetworkNode['level'], instituteId: string): NetworkNode => ({
  id,
  level,
  name: id,
  parentId: null,
  instituteId,
  lat: 30,
  lon: 104,
  kind: null,
  code: id,
});
const NODES = new Map(
  [
    node('I01', 'institute', 'I01'),
    node('I02', 'institute', 'I02'),
    node('S001', 'station', 'I01'),
    node('S002', 'station', 'I01'),
    node('S101', 'station', 'I02'),
    node('P1', 'point', 'I01'),
  ].map((n) => [n.id, n]),
);
const PEOPLE: Record<string, string> = { V1: 'I01', V2: 'I01', V9: 'I02', 'I01:S001:T01': 'I01' };
const townOfNode = (id: string): string | undefined => NODES.get(id)?.instituteId ?? undefined;

const CENTER: DispatchActor = { id: 'd1', name: '区调度', role: 'dispatcher', scope: DISTRICT };
const TOWN1: DispatchActor = { id: 'd2', name: '东升调度', role: 'dispatcher', scope: 'I01' };
const TOWN2: DispatchActor = { id: 'd3', name: '西航港调度', role: 'dispatcher', scope: 'I02' };
const T0 = 1_790_000_000_000;

interface World {
  order: Order | undefined;
  /** Volunteer → open orders on them besides the one decided (another order keeps them busy). */
  busyElsewhere: ReadonlyMap<string, string[]>;
  known: ReadonlySet<string>;
  blockDoubleBooking: boolean;
  /** `orderId volunteerId` of the open offers (派给志愿者); none when absent. */
  offers?: ReadonlySet<string>;
}

function stateOf(w: World, now: number): DispatchState {
  return {
    now,
    order: w.order,
    node: (id) => NODES.get(id),
    places: {
      instituteOf: (kind, id) => {
        const n = NODES.get(id);
        if (kind === 'institute') return n?.level === 'institute' ? id : undefined;
        if (kind === 'station') return n?.level === 'station' ? townOfNode(id) : undefined;
        return PEOPLE[id];
      },
    },
    load: (id) => w.busyElsewhere.get(id)?.length ?? 0,
    orderIds: (id) => w.busyElsewhere.get(id) ?? [],
    known: (id) => w.known.has(id),
    blockDoubleBooking: w.blockDoubleBooking,
    offered: (orderId, volunteerId) => w.offers?.has(`${orderId} ${volunteerId}`) ?? false,
  };
}

/**
 * What a restart rebuilds from the events, for the fields an `order.transition` event carries (as
 * projection.ts and the open-orders query read them): state, version, when, the town of the node
 * it is placed on, and who is on the order in a staffed state.
 */
function applyEvents(before: Order, events: readonly PracticeEvent[]) {
  let o = { state: before.state, version: before.version, at: before.stateEnteredAt, town: before.instituteId };
  let assignee = before.assignee?.id ?? null;
  for (const e of events) {
    if (e.type !== 'order.transition') continue;
    o = { state: e.to, version: e.version, at: e.ts, town: townOfNode(e.nodeId) ?? '' };
    assignee = STAFFED_STATES.includes(e.to) ? e.volunteerId : null;
  }
  return { ...o, assignee };
}

const ids = ['I01', 'I02', 'I77', 'S001', 'S002', 'S101', 'V1', 'V2', 'V9', 'I01:S001:T01', 'X'];
const arbId = fc.oneof(fc.constantFrom('I01', 'S001', 'V1', 'V2'), fc.constantFrom(...ids));
/** Commands weighted toward the order's way forward, so sequences get far before something closes it. */
const arbCommand: fc.Arbitrary<OrderCommand> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom<OrderCommand>({ type: 'accept' }, { type: 'start' }, { type: 'complete' }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<OrderCommand>(
      { type: 'escalate' },
      { type: 'expire' },
      { type: 'reject', reason: '重复' },
      { type: 'cancel' },
    ),
  },
  { weight: 3, arbitrary: arbId.map((id): OrderCommand => ({ type: 'dispatch_institute', instituteId: id })) },
  { weight: 3, arbitrary: arbId.map((id): OrderCommand => ({ type: 'dispatch_station', stationId: id })) },
  {
    weight: 3,
    arbitrary: fc
      .record({ kind: fc.constantFrom('volunteer' as const, 'team' as const), id: arbId })
      .map((assignee): OrderCommand => ({ type: 'claim', assignee })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        kind: fc.constantFrom('institute' as const, 'station' as const, 'volunteer' as const, 'team' as const),
        id: arbId,
      })
      .map((target): OrderCommand => ({ type: 'reassign', target })),
  },
  { weight: 2, arbitrary: fc.integer({ min: -1, max: 7 }).map((score): OrderCommand => ({ type: 'rate', score })) },
);
/** The order's way forward from each state, `pick` choosing among a few (some of them refused). */
function forward(state: Order['state'], pick: number): OrderCommand | null {
  const of = <T>(xs: readonly T[]): T => xs[pick % xs.length] as T;
  switch (state) {
    case 'requested':
      return { type: 'accept' };
    case 'accepted_by_center':
      return { type: 'dispatch_institute', instituteId: of(['I01', 'I02', 'I01', 'S001']) };
    case 'dispatched_institute':
      return { type: 'dispatch_station', stationId: of(['S001', 'S002', 'S101']) };
    case 'dispatched_station':
      return {
        type: 'claim',
        assignee: of([
          { kind: 'volunteer', id: 'V1' },
          { kind: 'volunteer', id: 'V9' },
          { kind: 'team', id: 'I01:S001:T01' },
          { kind: 'volunteer', id: 'V2' },
        ]),
      };
    case 'claimed':
      return of<OrderCommand>([
        { type: 'start' },
        { type: 'reassign', target: { kind: 'volunteer', id: of(['V2', 'V1', 'V9']) } },
      ]);
    case 'in_service':
      return of<OrderCommand>([{ type: 'complete' }, { type: 'reassign', target: { kind: 'station', id: 'S002' } }]);
    case 'completed':
      return { type: 'rate', score: of([5, 4, 0]) };
    case 'rated':
    case 'rejected':
    case 'cancelled':
    case 'expired':
      return null;
  }
}
/** True once in `n`. */
const rarely = (n: number) => fc.integer({ min: 1, max: n }).map((k) => k === 1);
const arbStep = fc.record({
  command: arbCommand,
  /** Most steps take the order's way forward instead of `command`. */
  forward: fc.option(fc.nat(11), { freq: 4, nil: null }),
  /** The center, the order's own town or the other one. */
  by: fc.constantFrom('center', 'center', 'center', 'own', 'own', 'other'),
  /** The version named: mostly the current one. */
  skew: fc.constantFrom(0, 0, 0, 0, 0, 0, -1, 1),
  /** Someone else already holds this volunteer (the double-booking rule). */
  busy: fc.constantFrom<string | null>(null, null, 'V1', 'V9'),
  /** The command's event was written before a restart. */
  knownBefore: rarely(20),
  blockDoubleBooking: fc.boolean(),
});

const fresh = (venue = 'S001'): Order => request('ORD-1', '代购药品', venue, townOfNode(venue) ?? '', T0);

describe('deciding a command, property-based', () => {
  it('the new state is what applying its events gives; a refused or replayed command writes nothing and changes nothing', () => {
    fc.assert(
      fc.property(fc.constantFrom('S001', 'S101', 'P1'), fc.array(arbStep, { maxLength: 30 }), (venue, steps) => {
        let order = fresh(venue);
        for (const [i, step] of steps.entries()) {
          const own = order.instituteId === 'I01' ? TOWN1 : TOWN2;
          const actor = step.by === 'center' ? CENTER : step.by === 'own' ? own : own === TOWN1 ? TOWN2 : TOWN1;
          const commandId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
          const body: OrderCommandBody = toCommandBody(
            { commandId, orderId: order.id, expectedVersion: order.version + step.skew },
            (step.forward === null ? null : forward(order.state, step.forward)) ?? step.command,
          );
          const world: World = {
            order,
            busyElsewhere: new Map(step.busy ? [[step.busy, ['ORD-9']]] : []),
            known: new Set(step.knownBefore ? [derivedId(actor.id, commandId, 'transition')] : []),
            blockDoubleBooking: step.blockDoubleBooking,
          };
          const d = decideCommand(actor, body, stateOf(world, T0 + (i + 1) * 1000));
          // Pure: the same command on the same state decides the same.
          expect(decideCommand(actor, body, stateOf(world, T0 + (i + 1) * 1000))).toEqual(d);
          expect(d.audit).toMatchObject({ result: d.result, orderId: order.id, actorId: actor.id });
          expect(d.audit.beforeVersion).toBe(order.version);
          if (d.result !== 'ok') {
            expect(d.events).toEqual([]);
            expect(d.state).toBe(order);
            expect(d.transition).toBeNull();
            expect(d.audit.afterVersion).toBe(order.version);
            expect(answerOf(d, (o) => o as never).ok).toBe(d.result === 'replayed');
            if (step.skew !== 0) expect(d.result).not.toBe('ok');
            continue;
          }
          const t = d.transition;
          if (!d.state || !t) throw new Error('an accepted decision has a state and a transition');
          expect(step.skew).toBe(0);
          expect(step.knownBefore).toBe(false);
          expect(d.state).toEqual(apply(order, t));
          expect(applyEvents(order, d.events)).toEqual({
            state: d.state.state,
            version: d.state.version,
            at: d.state.stateEnteredAt,
            town: d.state.instituteId,
            assignee: d.state.assignee?.id ?? null,
          });
          // Volunteer events only for the people the transition moved.
          const moved = [t.assignee?.id, t.freed?.id];
          for (const e of d.events) {
            if (e.type !== 'volunteer.status') continue;
            expect(moved).toContain(e.volunteerId);
            // A freed volunteer still on another order stays busy.
            if (e.status === 'available') expect(world.busyElsewhere.has(e.volunteerId)).toBe(false);
          }
          expect(d.audit).toMatchObject({ afterState: d.state.state, afterVersion: d.state.version, code: '' });
          expect(answerOf(d, (o) => o as never)).toMatchObject({ ok: true, data: { replayed: false } });
          order = d.state;
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('an accepted command ingest did not take becomes a refusal or, when written before, a replay: no events, no change', () => {
    fc.assert(
      fc.property(fc.array(arbStep, { maxLength: 12 }), (steps) => {
        let order = fresh();
        for (const [i, step] of steps.entries()) {
          const body = toCommandBody(
            { commandId: crypto.randomUUID(), orderId: order.id, expectedVersion: order.version },
            step.command,
          );
          const world = { order, busyElsewhere: new Map(), known: new Set<string>(), blockDoubleBooking: false };
          const d = decideCommand(CENTER, body, stateOf(world, T0 + i));
          if (d.result !== 'ok' || !d.state) continue;
          const full = unwritten(d, 'INGEST_BACKPRESSURE');
          expect(full).toMatchObject({ result: 'refused', events: [], state: order, transition: null });
          expect(full.audit).toMatchObject({
            result: 'refused',
            code: 'INGEST_BACKPRESSURE',
            afterVersion: order.version,
          });
          expect(answerOf(full, (o) => o as never)).toEqual({
            ok: false,
            error: { code: 'INGEST_BACKPRESSURE', message: 'ingest is full; retry' },
          });
          const again = unwritten(d, 'duplicate');
          expect(again).toMatchObject({ result: 'replayed', events: [], state: order, warnings: d.warnings });
          expect(again.audit).toMatchObject({ result: 'replayed', code: '', afterVersion: order.version });
          order = d.state;
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('deciding a command', () => {
  const claimed = (): Order => ({
    ...fresh(),
    state: 'dispatched_station',
    version: 4,
    stationId: 'S001',
  });
  const claim = (id: string): OrderCommandBody => ({
    commandId: crypto.randomUUID(),
    orderId: 'ORD-1',
    expectedVersion: 4,
    type: 'claim',
    assignee: { kind: 'volunteer', id },
  });
  const world = (block: boolean): World => ({
    order: claimed(),
    busyElsewhere: new Map([['V1', ['ORD-9']]]),
    known: new Set(),
    blockDoubleBooking: block,
  });

  it('refuses a volunteer already on another order when double booking is blocked, warns otherwise', () => {
    const blocked = decideCommand(CENTER, claim('V1'), stateOf(world(true), T0));
    expect(blocked.refusal).toEqual({
      code: 'ORDER_DOUBLE_BOOKING',
      message: 'volunteer V1 is already on ORD-9',
      showOrder: true,
    });
    expect(blocked.events).toEqual([]);
    expect(blocked.audit.assignees).toEqual(['V1']);
    const warned = decideCommand(CENTER, claim('V1'), stateOf(world(false), T0));
    expect(warned.result).toBe('ok');
    expect(warned.warnings).toEqual([{ code: 'VOLUNTEER_DOUBLE_BOOKED', message: 'volunteer V1 is already on ORD-9' }]);
  });

  it('lets a volunteer claim only an order offered to them, for themself, and start only their own', () => {
    const v2: DispatchActor = { id: 'V2', name: '王*梅', role: 'volunteer', scope: 'I01' };
    const notOffered = decideCommand(v2, claim('V2'), stateOf(world(false), T0));
    expect(notOffered.refusal).toMatchObject({ code: 'FIELD_NOT_YOURS', showOrder: false });
    expect(notOffered.audit).toMatchObject({ actorId: 'V2', result: 'refused', code: 'FIELD_NOT_YOURS' });
    const offered = { ...world(false), offers: new Set(['ORD-1 V2']) };
    expect(decideCommand(v2, claim('V1'), stateOf(offered, T0)).refusal?.code).toBe('FIELD_NOT_YOURS');
    const accepted = decideCommand(v2, claim('V2'), stateOf(offered, T0));
    expect(accepted.result).toBe('ok');
    expect(accepted.state).toMatchObject({ state: 'claimed', assignee: { kind: 'volunteer', id: 'V2' } });
    const start = { commandId: crypto.randomUUID(), orderId: 'ORD-1', expectedVersion: 5, type: 'start' } as const;
    const onV2 = { ...world(false), order: accepted.state };
    expect(decideCommand(v2, start, stateOf(onV2, T0)).result).toBe('ok');
    const v9: DispatchActor = { ...v2, id: 'V9' };
    expect(decideCommand(v9, start, stateOf(onV2, T0)).refusal?.code).toBe('FIELD_NOT_YOURS');
    const cancel = { ...start, type: 'cancel' } as const;
    expect(decideCommand(v2, cancel, stateOf(onV2, T0)).refusal?.code).toBe('FIELD_NOT_YOURS');
  });

  it("refuses another town's order without showing it, and an order it does not hold", () => {
    const other = decideCommand(TOWN2, claim('V2'), stateOf(world(false), T0));
    expect(other.refusal).toMatchObject({ code: 'AUTH_FORBIDDEN', showOrder: false });
    const none = decideCommand(CENTER, claim('V2'), stateOf({ ...world(false), order: undefined }, T0));
    expect(none).toMatchObject({ result: 'refused', state: undefined, refusal: { code: 'ORDER_NOT_FOUND' } });
    expect(none.audit).toMatchObject({ beforeState: '', afterState: '', instituteId: '' });
  });
});

describe('deciding a 点单', () => {
  const body = { commandId: '6f0c6c52-3b1a-4c55-9a3e-9d3f6d1f2a10', venueId: 'S001', title: '代购药品' };
  const empty: World = { order: undefined, busyElsewhere: new Map(), known: new Set(), blockDoubleBooking: false };

  it('makes a fresh order at version 1 whose one event says so', () => {
    const d = decideRequest(TOWN1, body, 'ORD-7', stateOf(empty, T0));
    expect(d.state).toEqual(request('ORD-7', '代购药品', 'S001', 'I01', T0));
    expect(d.events).toEqual([
      expect.objectContaining({ type: 'order.transition', orderId: 'ORD-7', from: null, to: 'requested', version: 1 }),
    ]);
    expect(d.audit).toMatchObject({ action: 'request', result: 'ok', afterState: 'requested', afterVersion: 1 });
    // Ingest holding its event already still makes the order (the projection lacked it).
    expect(unwritten(d, 'duplicate')).toBe(d);
  });

  it('refuses an unknown venue and another town, replays an order it holds, and refuses one requested and closed', () => {
    expect(decideRequest(TOWN1, { ...body, venueId: 'I01' }, 'ORD-7', stateOf(empty, T0)).refusal?.code).toBe(
      'ORDER_UNKNOWN_TARGET',
    );
    expect(decideRequest(TOWN2, body, 'ORD-7', stateOf(empty, T0)).refusal?.code).toBe('AUTH_FORBIDDEN');
    const held = request('ORD-7', '代购药品', 'S001', 'I01', T0 - 1);
    const replay = decideRequest(TOWN1, body, 'ORD-7', stateOf({ ...empty, order: held }, T0));
    expect(replay).toMatchObject({ result: 'replayed', events: [], state: held });
    const known = new Set([derivedId(TOWN1.id, body.commandId, 'transition')]);
    const closed = decideRequest(TOWN1, body, 'ORD-7', stateOf({ ...empty, known }, T0));
    expect(closed.refusal).toEqual({
      code: 'ORDER_NOT_FOUND',
      message: 'order ORD-7 was requested and is closed',
      showOrder: false,
    });
    expect(closed.events).toEqual([]);
  });
});
