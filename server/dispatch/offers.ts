/**
 * Offers of orders to volunteers (派给志愿者), held in memory beside the projection: open ones until
 * accepted (the volunteer's `claim`), declined, or withdrawn when the order can no longer be
 * claimed by them; closed ones until their order closes, so the console can show who declined and
 * why. Every offer and decline is on the dispatch audit trail (service.ts). On one node a restart
 * forgets them and the station offers again (the order itself is untouched by an offer); with
 * several nodes this board is each node's copy of the offers kept in Redis (offer-ledger.ts).
 */
import { offerAfter, type Offer } from '../../shared/field.js';
import { isClosed, type Order } from '../../shared/orders.js';

/** Orders with offers kept; the oldest go first beyond it (a station offers a few a day). */
const MAX_ORDERS = 20_000;

export class OfferBoard {
  /** order id → volunteer id → offer. */
  private readonly byOrder = new Map<string, Map<string, Offer>>();

  /** Opens an offer; answers the open one when it exists already (offering twice rings once). */
  open(offer: Omit<Offer, 'status' | 'reason' | 'closedAt'>): { offer: Offer; created: boolean } {
    const offers = this.byOrder.get(offer.orderId) ?? new Map<string, Offer>();
    const held = offers.get(offer.volunteerId);
    if (held?.status === 'open') return { offer: held, created: false };
    const opened: Offer = { ...offer, status: 'open', reason: '', closedAt: null };
    offers.set(offer.volunteerId, opened);
    this.byOrder.delete(offer.orderId);
    this.byOrder.set(offer.orderId, offers);
    if (this.byOrder.size > MAX_ORDERS) {
      const oldest = this.byOrder.keys().next().value;
      if (oldest !== undefined) this.byOrder.delete(oldest);
    }
    return { offer: opened, created: true };
  }

  /** The open offer of this order to this volunteer, if any. */
  openOffer(orderId: string, volunteerId: string): Offer | undefined {
    const offer = this.byOrder.get(orderId)?.get(volunteerId);
    return offer?.status === 'open' ? offer : undefined;
  }

  /** Declines the volunteer's open offer; null when there is none. */
  decline(orderId: string, volunteerId: string, reason: string, at: number): Offer | null {
    const offer = this.openOffer(orderId, volunteerId);
    if (!offer) return null;
    return this.close(offer, 'declined', reason, at);
  }

  /**
   * The order changed: each open offer on it that it settles (accepted by its volunteer, or
   * withdrawn) is answered; a closed order's offers are forgotten.
   */
  settle(order: Pick<Order, 'id' | 'state' | 'assignee'>, at: number): Offer[] {
    const offers = this.byOrder.get(order.id);
    if (!offers) return [];
    const changed: Offer[] = [];
    for (const offer of offers.values()) {
      const status = offerAfter(offer, order);
      if (status !== offer.status) changed.push(this.close(offer, status, '', at));
    }
    if (isClosed(order.state)) this.byOrder.delete(order.id);
    return changed;
  }

  /** The volunteer's open offers. */
  openFor(volunteerId: string): Offer[] {
    const open: Offer[] = [];
    for (const offers of this.byOrder.values()) {
      const offer = offers.get(volunteerId);
      if (offer?.status === 'open') open.push(offer);
    }
    return open;
  }

  /** Every offer kept on an order, open and closed, oldest first. */
  onOrder(orderId: string): Offer[] {
    return [...(this.byOrder.get(orderId)?.values() ?? [])].sort((a, b) => a.at - b.at);
  }

  /** Holds an offer as another node or Redis has it (several nodes: offer-ledger.ts). */
  put(offer: Offer): void {
    const offers = this.byOrder.get(offer.orderId) ?? new Map<string, Offer>();
    offers.set(offer.volunteerId, offer);
    this.byOrder.set(offer.orderId, offers);
  }

  /** Forgets a closed order's offers. */
  forget(orderId: string): void {
    this.byOrder.delete(orderId);
  }

  private close(offer: Offer, status: Offer['status'], reason: string, at: number): Offer {
    const closed: Offer = { ...offer, status, reason, closedAt: at };
    this.byOrder.get(offer.orderId)?.set(offer.volunteerId, closed);
    return closed;
  }
}
