/**
 * Presence ("XX 正在处理"): which order each socket has open, and so who views an order now. One
 * person in two tabs counts once.
 */
import type { Viewer } from '../../shared/dispatch.js';

export class Viewers {
  private readonly bySocket = new Map<string, { orderId: string; viewer: Viewer }>();

  /**
   * The socket now has `orderId` open as `viewer` (null: none, or it is gone). Answers the orders
   * whose viewers are to be announced again: the one it left and the one it opened.
   */
  set(socketId: string, open: { orderId: string; viewer: Viewer } | null): string[] {
    const before = this.bySocket.get(socketId)?.orderId;
    if (open) this.bySocket.set(socketId, open);
    else this.bySocket.delete(socketId);
    const changed = before === undefined ? [] : [before];
    if (open && before !== open.orderId) changed.push(open.orderId);
    return changed;
  }

  /** Who has the order open, each person once. */
  of(orderId: string): Viewer[] {
    const seen = new Map<string, Viewer>();
    for (const v of this.bySocket.values()) if (v.orderId === orderId) seen.set(v.viewer.id, v.viewer);
    return [...seen.values()];
  }

  /** The orders someone has open. */
  viewed(): string[] {
    return [...new Set([...this.bySocket.values()].map((v) => v.orderId))];
  }
}
