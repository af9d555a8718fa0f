/**
 * The orders in memory: rebuilt at start from their `order.transition` events (latest version wins)
 * and kept current by the service as it accepts commands. Also where an order's events are placed
 * on the network (`holderNode`), the rule the backfill follows too, so a reload rebuilds the same
 * 所 and 站.
 */
import type { HistoryEntry, OrderView } from '../../shared/dispatch.js';
import type { OrderState } from '../../shared/events.js';
import { categoryOf } from '../../shared/candidates.js';
import { maskText } from '../../shared/mask.js';
import { dueAt } from '../../shared/order-sla.js';
import { STAFFED_STATES, type Assignee, type Order } from '../../shared/orders.js';
import type { NetworkNode } from '../../shared/network.js';
import { openOrders, transitionsOf, type TransitionRow } from '../store/orders-repository.js';
import type { Transport } from '../store/transport.js';

const DAY = 86_400_000;
/** Transitions kept per order for the view (every push carries them); the full trail is `GET /api/v1/orders/:id`. */
const HISTORY_KEPT = 10;
const STATION_STATES: readonly OrderState[] = ['dispatched_station', 'claimed', 'in_service'];

/** Team ids carry their 支队:队 path (`I03:S045:T07`); volunteer ids never hold a colon. */
export const assigneeOf = (id: string): Assignee | null =>
  id === '' ? null : { kind: id.includes(':') ? 'team' : 'volunteer', id };

/**
 * The node an order's event is placed on: its venue while the center holds it in the venue's town,
 * its 站 once dispatched to one, otherwise its 所. The node decides which town's wall counts it.
 */
export function holderNode(order: Order, venueTown: string): string {
  if ((order.state === 'requested' || order.state === 'accepted_by_center') && order.instituteId === venueTown) {
    return order.venueId;
  }
  if (order.stationId !== '') return order.stationId;
  return order.instituteId !== '' ? order.instituteId : order.venueId;
}

/** Closed orders kept answerable (a late retry, a stale command) until this many more have closed. */
const CLOSED_KEPT = 20_000;

export class Projection {
  private readonly orders = new Map<string, Order>();
  private readonly history = new Map<string, HistoryEntry[]>();
  private readonly closedOrder: string[] = [];

  constructor(private readonly nodes: ReadonlyMap<string, NetworkNode>) {}

  /** Loads orders not final (completed ones too: they can still be rated) from the last `days`. */
  async load(store: Transport, now: number, days = 30): Promise<void> {
    const rows = await openOrders(store, now - days * DAY);
    for (const r of rows) {
      const state = r.state as OrderState;
      const last = this.nodes.get(r.last_node);
      this.orders.set(r.id, {
        id: r.id,
        state,
        version: r.version,
        title: r.title,
        venueId: r.venue_id,
        instituteId: r.institute_id,
        stationId: STATION_STATES.includes(state) && last?.level === 'station' ? last.id : '',
        assignee: STAFFED_STATES.includes(state) ? assigneeOf(r.assignee) : null,
        createdAt: r.created_at,
        stateEnteredAt: r.state_entered_at,
      });
    }
    const transitions = await transitionsOf(store, [...this.orders.keys()]);
    let previous: TransitionRow | undefined;
    for (const t of transitions) {
      const from = previous?.order_id === t.order_id ? (previous.state as OrderState) : null;
      this.record(t.order_id, {
        version: t.version,
        from,
        to: t.state as OrderState,
        at: t.at,
        actor: t.actor,
        assignee: t.assignee,
        reason: t.reason,
      });
      previous = t;
    }
  }

  get(orderId: string): Order | undefined {
    return this.orders.get(orderId);
  }

  all(): Order[] {
    return [...this.orders.values()];
  }

  get size(): number {
    return this.orders.size;
  }

  set(order: Order): void {
    this.orders.set(order.id, order);
  }

  record(orderId: string, entry: HistoryEntry): void {
    this.history.set(orderId, this.historyWith(orderId, entry));
  }

  /** The order's kept history with `entry` added (what `record` would keep), not recorded. */
  historyWith(orderId: string, entry: HistoryEntry | null): HistoryEntry[] {
    const list = [...(this.history.get(orderId) ?? [])];
    if (entry) list.push(entry);
    return list.slice(-HISTORY_KEPT);
  }

  /** Holds an order and its history as another node left them (several nodes: order-versions.ts). */
  adopt(order: Order, history: readonly HistoryEntry[]): void {
    this.orders.set(order.id, order);
    this.history.set(order.id, history.slice(-HISTORY_KEPT));
  }

  /** Notes that an order closed; the oldest closed ones are forgotten (completed ones wait to be rated). */
  closed(orderId: string): void {
    this.closedOrder.push(orderId);
    while (this.closedOrder.length > CLOSED_KEPT) {
      const old = this.closedOrder.shift();
      const o = old === undefined ? undefined : this.orders.get(old);
      if (old !== undefined && o && o.state !== 'completed') {
        this.orders.delete(old);
        this.history.delete(old);
      }
    }
  }

  /**
   * An order as every dispatcher in scope receives it: a phone or ID number typed into its title or
   * a reason is masked like on the wall (README "Personal data").
   */
  view(order: Order): OrderView {
    return {
      id: order.id,
      state: order.state,
      version: order.version,
      title: maskText(order.title),
      category: categoryOf(order.title),
      venueId: order.venueId,
      instituteId: order.instituteId,
      stationId: order.stationId,
      assignee: order.assignee,
      createdAt: order.createdAt,
      stateEnteredAt: order.stateEnteredAt,
      dueAt: dueAt(order),
      history: (this.history.get(order.id) ?? []).map((h) => ({ ...h, reason: maskText(h.reason) })),
    };
  }
}
