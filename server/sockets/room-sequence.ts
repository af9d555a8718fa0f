/**
 * Pushes numbered per room: each room's pushes count 1, 2, 3 … and a snapshot carries the number it
 * is current to, so a client that sees a gap knows it missed one and asks for a snapshot again.
 */
export class RoomSequence {
  private readonly seqs = new Map<string, number>();

  /** The number of the room's next push. */
  next(room: string): number {
    const seq = this.current(room) + 1;
    this.seqs.set(room, seq);
    return seq;
  }

  /** The number of the room's last push; 0 before the first. */
  current(room: string): number {
    return this.seqs.get(room) ?? 0;
  }
}
