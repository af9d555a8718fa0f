import { describe, expect, it } from 'vitest';
import { offerAfter, volunteerRefusal } from '../../shared/field.js';
import { OPEN_STATES, CLOSED_STATES } from '../../shared/orders.js';

const me = { kind: 'volunteer', id: 'VR000001' } as const;
const someone = { kind: 'volunteer', id: 'V000002' } as const;

describe('an open offer when its order changes', () => {
  it('stays open only while the order waits at its 站 with nobody on it', () => {
    for (const state of [...OPEN_STATES, ...CLOSED_STATES]) {
      expect(offerAfter({ status: 'open', volunteerId: me.id }, { state, assignee: null }), state).toBe(
        state === 'dispatched_station' ? 'open' : 'withdrawn',
      );
    }
  });

  it('is accepted when the order is on its volunteer, withdrawn when on someone else', () => {
    expect(offerAfter({ status: 'open', volunteerId: me.id }, { state: 'claimed', assignee: me })).toBe('accepted');
    expect(offerAfter({ status: 'open', volunteerId: me.id }, { state: 'claimed', assignee: someone })).toBe(
      'withdrawn',
    );
    expect(
      offerAfter({ status: 'open', volunteerId: me.id }, { state: 'claimed', assignee: { kind: 'team', id: me.id } }),
    ).toBe('withdrawn');
  });

  it('keeps a closed offer as it is', () => {
    for (const status of ['accepted', 'declined', 'withdrawn'] as const)
      expect(offerAfter({ status, volunteerId: me.id }, { state: 'dispatched_station', assignee: null })).toBe(status);
  });
});

describe('what a volunteer may command', () => {
  const order = (assignee: typeof me | typeof someone | null) => ({ id: 'ORD-1', assignee });

  it('claims for themself an order offered to them, nothing else', () => {
    expect(volunteerRefusal(me.id, { type: 'claim', assignee: me }, order(null), true)).toBeNull();
    expect(volunteerRefusal(me.id, { type: 'claim', assignee: me }, order(null), false)).toMatch(/not offered/);
    expect(volunteerRefusal(me.id, { type: 'claim', assignee: someone }, order(null), true)).toMatch(/not offered/);
    expect(
      volunteerRefusal(me.id, { type: 'claim', assignee: { kind: 'team', id: me.id } }, order(null), true),
    ).not.toBeNull();
  });

  it('starts and completes only an order on them', () => {
    for (const type of ['start', 'complete']) {
      expect(volunteerRefusal(me.id, { type }, order(me), false)).toBeNull();
      expect(volunteerRefusal(me.id, { type }, order(someone), true)).toMatch(/not on/);
      expect(volunteerRefusal(me.id, { type }, order(null), true)).toMatch(/not on/);
    }
  });

  it('gives no other command, even on their own order', () => {
    for (const type of [
      'accept',
      'reject',
      'dispatch_institute',
      'dispatch_station',
      'reassign',
      'rate',
      'cancel',
      'escalate',
      'expire',
    ])
      expect(volunteerRefusal(me.id, { type }, order(me), true), type).toMatch(/may not/);
  });
});
