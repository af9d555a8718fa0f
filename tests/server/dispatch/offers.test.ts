import { describe, expect, it } from 'vitest';
import { OfferBoard } from '../../../server/dispatch/offers.js';

const by = { id: 'desk', name: '调度台' };
const offer = (orderId: string, volunteerId: string, at = 1) => ({
  orderId,
  volunteerId,
  volunteerName: '王*梅',
  by,
  at,
});

describe('the offers board', () => {
  it('opens an offer once: offering it again answers the open one', () => {
    const board = new OfferBoard();
    expect(board.open(offer('O1', 'V1'))).toMatchObject({ created: true, offer: { status: 'open' } });
    expect(board.open(offer('O1', 'V1', 2))).toMatchObject({ created: false, offer: { at: 1 } });
    expect(board.openFor('V1').map((o) => o.orderId)).toEqual(['O1']);
  });

  it('declines only an open offer of that volunteer, keeping the reason for the console', () => {
    const board = new OfferBoard();
    board.open(offer('O1', 'V1'));
    expect(board.decline('O1', 'V2', '不是我的', 5)).toBeNull();
    expect(board.decline('O1', 'V1', '时间冲突', 5)).toMatchObject({
      status: 'declined',
      reason: '时间冲突',
      closedAt: 5,
    });
    expect(board.decline('O1', 'V1', '再拒一次', 6)).toBeNull();
    expect(board.openOffer('O1', 'V1')).toBeUndefined();
    expect(board.onOrder('O1')).toMatchObject([{ status: 'declined' }]);
    // Declined, it may be offered again (the station changed its mind).
    expect(board.open(offer('O1', 'V1', 7)).created).toBe(true);
  });

  it('settles open offers when the order is claimed: accepted for its volunteer, withdrawn for the others', () => {
    const board = new OfferBoard();
    board.open(offer('O1', 'V1'));
    board.open(offer('O1', 'V2'));
    board.open(offer('O2', 'V1'));
    const settled = board.settle({ id: 'O1', state: 'claimed', assignee: { kind: 'volunteer', id: 'V2' } }, 9);
    expect(settled.map((o) => `${o.volunteerId} ${o.status}`).sort()).toEqual(['V1 withdrawn', 'V2 accepted']);
    expect(board.settle({ id: 'O1', state: 'in_service', assignee: { kind: 'volunteer', id: 'V2' } }, 10)).toEqual([]);
    expect(board.openFor('V1').map((o) => o.orderId)).toEqual(['O2']);
  });

  it('forgets a closed order’s offers and leaves an order still at its 站 alone', () => {
    const board = new OfferBoard();
    board.open(offer('O1', 'V1'));
    expect(board.settle({ id: 'O1', state: 'dispatched_station', assignee: null }, 2)).toEqual([]);
    expect(board.settle({ id: 'O1', state: 'cancelled', assignee: null }, 3)).toMatchObject([{ status: 'withdrawn' }]);
    expect(board.onOrder('O1')).toEqual([]);
  });
});
