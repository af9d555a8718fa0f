/**
 * Presence ("XX 正在处理"): which order each socket has open, and so who views an order now. One
 * person in two tabs counts once. With several nodes each node also holds what the others told it
 * of their own sockets (dispatch/changes.ts `viewing`), per node run, until that node goes silent.
 */
import type { Viewer } from '../../shared/dispatch.js';

export class Viewers {
  private readonly bySocket = new Map<string, { orderId: string; viewer: Viewer }>();
  /** Another node's run → order id → its dispatchers who have it open. */
  private readonly peers = new Map<string, Map<string, Viewer[]>>();

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

  /** Who has the order open on this node, each person once. */
  here(orderId: string): Viewer[] {
    const seen = new Map<string, Viewer>();
    for (const v of this.bySocket.values()) if (v.orderId === orderId) seen.set(v.viewer.id, v.viewer);
    return [...seen.values()];
  }

  /** Who has the order open on any node, each person once. */
  of(orderId: string): Viewer[] {
    const seen = new Map(this.here(orderId).map((v) => [v.id, v]));
    for (const orders of this.peers.values()) for (const v of orders.get(orderId) ?? []) seen.set(v.id, v);
    return [...seen.values()];
  }

  /** The orders someone has open, on any node. */
  viewed(): string[] {
    const ids = new Set([...this.bySocket.values()].map((v) => v.orderId));
    for (const orders of this.peers.values()) for (const id of orders.keys()) ids.add(id);
    return [...ids];
  }

  /** The orders someone has open on this node. */
  viewedHere(): string[] {
    return [...new Set([...this.bySocket.values()].map((v) => v.orderId))];
  }

  /** What another node's run says of its own viewers of an order. */
  setPeer(origin: string, orderId: string, viewers: Viewer[]): void {
    const orders = this.peers.get(origin) ?? new Map<string, Viewer[]>();
    if (viewers.length > 0) orders.set(orderId, viewers);
    else orders.delete(orderId);
    if (orders.size > 0) this.peers.set(origin, orders);
    else this.peers.delete(origin);
  }

  /** A node's run went silent: its viewers leave; answers the orders they had open. */
  forgetPeer(origin: string): string[] {
    const orders = [...(this.peers.get(origin)?.keys() ?? [])];
    this.peers.delete(origin);
    return orders;
  }
}
