/** Pushes numbered per room (server/sockets/room-sequence.ts): a gap tells a client it missed one. */
import { describe, expect, it } from 'vitest';
import { RoomSequence } from '../../../server/sockets/room-sequence.js';

describe('RoomSequence', () => {
  it('numbers each room on its own from 1, and a snapshot is current to the last number', () => {
    const seqs = new RoomSequence();
    expect(seqs.current('dispatch:district')).toBe(0);
    expect([seqs.next('dispatch:district'), seqs.next('dispatch:district')]).toEqual([1, 2]);
    expect(seqs.next('dispatch:town:I01')).toBe(1);
    expect(seqs.current('dispatch:district')).toBe(2);
    expect(seqs.current('dispatch:town:I01')).toBe(1);
    expect(seqs.current('dispatch:town:I02')).toBe(0);
  });
});
