import { describe, expect, it } from 'vitest';
import type { OrderView } from '../../shared/dispatch.js';
import type { Places } from '../../shared/orders.js';
import { commandForTarget, legalActions, newCommandId, quickDispatch, toBody } from '../../client/dispatch/commands.js';
import { boardOf, classifySeq, explainRefusal, mergeOrder, overlay, predict } from '../../client/dispatch/merge.js';
import type { Pending } from '../../client/dispatch/merge.js';
import { nextActionable, sections, slaStanding, teamLabel } from '../../client/dispatch/board.js';

const places: Places = { instituteOf: (kind, id) => (kind === 'station' ? 'I02' : kind === 'institute' ? id : '') };
const order = (over: Partial<OrderView> = {}): OrderView => ({
  id: 'ORD-1',
  state: 'accepted_by_center',
  version: 2,
  title: '助老理发',
  category: 'elderly',
  venueId: 'S010',
  instituteId: 'I02',
  stationId: '',
  assignee: null,
  createdAt: 1_000,
  stateEnteredAt: 1_000,
  dueAt: 1_000 + 30 * 60_000,
  history: [],
  ...over,
});

describe('dispatch merge', () => {
  it('moves an order only forward and drops closed ones from the board', () => {
    const board = boardOf([order()]);
    expect(mergeOrder(board, order({ version: 1, state: 'requested' })).get('ORD-1')?.version).toBe(2);
    expect(mergeOrder(board, order({ version: 3, state: 'dispatched_institute' })).get('ORD-1')?.state).toBe(
      'dispatched_institute',
    );
    expect(mergeOrder(board, order({ version: 3, state: 'cancelled' })).has('ORD-1')).toBe(false);
    expect(boardOf([order({ state: 'completed' })]).size).toBe(0);
  });

  it('predicts a command with the shared state machine and refuses an illegal one before sending', () => {
    const p = predict(order(), { type: 'dispatch_institute', instituteId: 'I05' }, '王', 5_000, places, 'center');
    expect(p.ok && p.data).toMatchObject({ state: 'dispatched_institute', version: 3, instituteId: 'I05' });
    expect(p.ok && p.data.history.at(-1)).toMatchObject({ actor: '王', from: 'accepted_by_center' });
    const bad = predict(order(), { type: 'complete' }, '王', 5_000, places, 'center');
    expect(!bad.ok && bad.error.code).toBe('ORDER_ILLEGAL_TRANSITION');
  });

  it('shows a pending prediction until the server holds that version, and the confirmed order after a rollback', () => {
    const before = order();
    const board = boardOf([before]);
    const p = predict(before, { type: 'dispatch_institute', instituteId: 'I05' }, '王', 5_000, places, 'center');
    if (!p.ok) throw new Error('prediction refused');
    const pending = new Map<string, Pending>([
      ['ORD-1', { body: toBody(before, { type: 'accept' }, newCommandId()), before, predicted: p.data, attempts: 1 }],
    ]);
    expect(overlay(board, pending).get('ORD-1')?.instituteId).toBe('I05');
    // Another dispatcher's version 3 overtook the ack: the server's order shows, not the guess.
    const theirs = mergeOrder(board, order({ version: 3, state: 'dispatched_institute', instituteId: 'I04' }));
    expect(overlay(theirs, pending).get('ORD-1')?.instituteId).toBe('I04');
    // Rolled back: no pending entry, the confirmed order is what is shown.
    expect(overlay(board, new Map()).get('ORD-1')).toBe(before);
  });

  it('explains a stale refusal with who changed the order, when and to what', () => {
    const current = order({
      version: 3,
      state: 'dispatched_institute',
      history: [
        {
          version: 3,
          from: 'accepted_by_center',
          to: 'dispatched_institute',
          at: 9_000,
          actor: '李',
          assignee: '',
          reason: '',
        },
      ],
    });
    const r = explainRefusal('ORD-1', { code: 'ORDER_STALE_VERSION', message: 'stale', order: current }, 10_000);
    expect(r).toMatchObject({ code: 'ORDER_STALE_VERSION', changedBy: '李', changedAt: 9_000, current });
    expect(explainRefusal('ORD-1', { code: 'AUTH_FORBIDDEN', message: 'no' }, 1).changedBy).toBeNull();
  });

  it('applies the next push, skips old ones and calls anything further a gap', () => {
    expect(classifySeq(4, 5)).toBe('apply');
    expect(classifySeq(4, 4)).toBe('skip');
    expect(classifySeq(4, 7)).toBe('gap');
    expect(classifySeq(null, 1)).toBe('gap');
  });
});

describe('dispatch gestures', () => {
  it('turns a drop into the next step of 层层派单, or a reassignment, or nothing', () => {
    expect(commandForTarget(order(), { kind: 'institute', id: 'I04' })).toEqual({
      type: 'dispatch_institute',
      instituteId: 'I04',
    });
    expect(commandForTarget(order({ state: 'dispatched_station' }), { kind: 'volunteer', id: 'V1' })).toEqual({
      type: 'claim',
      assignee: { kind: 'volunteer', id: 'V1' },
    });
    expect(commandForTarget(order({ state: 'claimed' }), { kind: 'team', id: 'I02:S010:T01' })).toEqual({
      type: 'reassign',
      target: { kind: 'team', id: 'I02:S010:T01' },
    });
    expect(commandForTarget(order({ state: 'requested' }), { kind: 'volunteer', id: 'V1' })).toBeNull();
    expect(quickDispatch(order(), null)).toEqual({ type: 'dispatch_institute', instituteId: 'I02' });
    // "d" never takes a staffed order off its assignee, and a drop where the order already is does nothing.
    const staffed = order({ state: 'claimed', assignee: { kind: 'volunteer', id: 'V1' } });
    expect(quickDispatch(staffed, { kind: 'volunteer', id: 'V2' })).toBeNull();
    expect(commandForTarget(staffed, { kind: 'volunteer', id: 'V1' })).toBeNull();
  });

  it("offers a town's dispatcher none of the center's own steps", () => {
    const fresh = order({ state: 'requested', version: 1 });
    expect(legalActions(fresh, places, true)).toEqual(['accept', 'reject', 'cancel']);
    expect(legalActions(fresh, places, false)).toEqual(['cancel']);
    expect(quickDispatch(order(), null, false)).toBeNull();
  });

  it('makes v4 command ids and bodies naming the version seen', () => {
    const id = newCommandId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(toBody(order(), { type: 'accept' }, id)).toEqual({
      commandId: id,
      orderId: 'ORD-1',
      expectedVersion: 2,
      type: 'accept',
    });
  });
});

describe('dispatch board', () => {
  it('groups by state in flow order, most urgent first, and knows what is overdue', () => {
    const late = order({ id: 'B', dueAt: 500 });
    const s = sections([order({ id: 'A' }), late, order({ id: 'C', state: 'requested' })]);
    expect(s.map((x) => x.state)).toEqual(['requested', 'accepted_by_center']);
    expect(s[1]?.orders.map((o) => o.id)).toEqual(['B', 'A']);
    expect(slaStanding(late, 600)).toBe('overdue');
    expect(slaStanding(order({ dueAt: null }), 600)).toBe('none');
    // "g": the most urgent order waiting for this dispatcher, a town skipping the center's.
    expect(nextActionable([order({ id: 'A' }), late], true, null)?.id).toBe('B');
    expect(nextActionable([order({ id: 'A' }), late], true, 'B')?.id).toBe('A');
    expect(nextActionable([order({ id: 'A' })], false, null)).toBeNull();
    expect(teamLabel('I02:S010:T07', () => '石湾村新时代文明实践站')).toBe('石湾村 T07');
  });
});
