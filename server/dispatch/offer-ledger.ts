/**
 * Offers across nodes (several nodes, issue 18.2). Redis keeps every order's offers
 * (`wmsj:dispatch:offers:<order>`, a hash by volunteer): an offer is opened or closed there by a
 * script that checks it is (still) open, so two nodes never ring one volunteer twice for one order
 * and a decline never overwrites the acceptance another node recorded. Each node keeps its copy in
 * the OfferBoard (offers.ts), which every read uses: filled from Redis at start (a restarted node
 * keeps its offers) and on every other node's change (changes.ts), re-read from Redis before a
 * volunteer's command or a decline is decided. One node has no ledger: the board alone, as before.
 *
 * Every call goes through reach() (auth/reach.ts): with Redis out of reach an offer or a decline is
 * refused at once with SHARED_UNAVAILABLE (offer-desk.ts answers it as a dispatch command's), never
 * held ten seconds by ioredis's retries, nor opened on this node alone (a second node would ring the
 * volunteer again for the same order).
 */
import type { Redis } from 'ioredis';
import { reach } from '../auth/reach.js';
import { offerAfter, type Offer } from '../../shared/field.js';
import { isClosed, type Order } from '../../shared/orders.js';
import type { OfferBoard } from './offers.js';
import { keysMatching } from './redis-keys.js';

export interface OfferLedger {
  /** Opens the offer unless one to that volunteer is open: answers the open one then. */
  open(offer: Offer): Promise<{ offer: Offer; created: boolean }>;
  /** Writes `closed` over the offer if that is still open; answers whether it was. */
  close(closed: Offer): Promise<boolean>;
  onOrder(orderId: string): Promise<Offer[]>;
  all(): Promise<Offer[]>;
  forget(orderId: string): Promise<void>;
}

const PREFIX = 'wmsj:dispatch:offers:';
const keyOf = (orderId: string): string => `${PREFIX}${orderId}`;
/** As long as an open order is loaded (projection.ts), after the order's last offer. */
const KEEP_MS = 30 * 86_400_000;

/** KEYS[1] the order's offers; ARGV: volunteer, offer, keep ms. Answers the open offer held, or nil once written. */
const OPEN = `
local held = redis.call('HGET', KEYS[1], ARGV[1])
if held and cjson.decode(held)['status'] == 'open' then return held end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return false
`;
/** KEYS[1] the order's offers; ARGV: volunteer, closed offer. 1 when it was open and is now closed. */
const CLOSE = `
local held = redis.call('HGET', KEYS[1], ARGV[1])
if not held or cjson.decode(held)['status'] ~= 'open' then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`;

export function redisOfferLedger(redis: Redis): OfferLedger {
  const parseAll = (hash: Record<string, string>): Offer[] => Object.values(hash).map((v) => JSON.parse(v) as Offer);
  return {
    async open(offer) {
      const held = (await reach(redis, (r) =>
        r.eval(OPEN, 1, keyOf(offer.orderId), offer.volunteerId, JSON.stringify(offer), KEEP_MS),
      )) as string | null;
      return held ? { offer: JSON.parse(held) as Offer, created: false } : { offer, created: true };
    },
    async close(closed) {
      const answer = await reach(redis, (r) =>
        r.eval(CLOSE, 1, keyOf(closed.orderId), closed.volunteerId, JSON.stringify(closed)),
      );
      return answer === 1;
    },
    async onOrder(orderId) {
      return parseAll(await reach(redis, (r) => r.hgetall(keyOf(orderId))));
    },
    async all() {
      return reach(redis, async (r) => {
        const offers: Offer[] = [];
        for (const key of await keysMatching(r, `${PREFIX}*`)) offers.push(...parseAll(await r.hgetall(key)));
        return offers;
      });
    },
    async forget(orderId) {
      await reach(redis, (r) => r.del(keyOf(orderId)));
    },
  };
}

type OpenOffer = Omit<Offer, 'status' | 'reason' | 'closedAt'>;

/** The node's offers: the board for reads; with a ledger, Redis decides each change first. */
export class SharedOffers {
  constructor(
    readonly board: OfferBoard,
    private readonly ledger: OfferLedger | null,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Fills the board with the cluster's offers (a node's start). */
  async load(): Promise<number> {
    if (!this.ledger) return 0;
    const offers = await this.ledger.all();
    for (const offer of offers) this.board.put(offer);
    return offers.length;
  }

  /**
   * Re-reads an order's offers from the cluster before a decision depends on them. Redis out of
   * reach: the board as it is (the claim that follows is refused then anyway).
   */
  async refresh(orderId: string): Promise<void> {
    if (!this.ledger) return;
    const offers = await this.ledger.onOrder(orderId).catch(() => []);
    for (const offer of offers) this.board.put(offer);
  }

  async open(offer: OpenOffer): Promise<{ offer: Offer; created: boolean }> {
    if (!this.ledger) return this.board.open(offer);
    const answer = await this.ledger.open({ ...offer, status: 'open', reason: '', closedAt: null });
    this.board.put(answer.offer);
    return answer;
  }

  async decline(orderId: string, volunteerId: string, reason: string, at: number): Promise<Offer | null> {
    if (!this.ledger) return this.board.decline(orderId, volunteerId, reason, at);
    await this.refresh(orderId);
    const open = this.board.openOffer(orderId, volunteerId);
    if (!open) return null;
    const declined: Offer = { ...open, status: 'declined', reason, closedAt: at };
    if (!(await this.ledger.close(declined))) {
      await this.refresh(orderId);
      return null;
    }
    this.board.put(declined);
    return declined;
  }

  /**
   * The order changed (on this node): its open offers it settles are closed, in Redis first. Its
   * events are written by now, so Redis failing here leaves the offers to the board (logged by the caller).
   */
  async settle(order: Pick<Order, 'id' | 'state' | 'assignee'>, at: number): Promise<Offer[]> {
    if (!this.ledger) return this.board.settle(order, at);
    return this.settleShared(this.ledger, order, at).catch((error: unknown) => {
      this.onError(error);
      return this.board.settle(order, at);
    });
  }

  private async settleShared(
    ledger: OfferLedger,
    order: Pick<Order, 'id' | 'state' | 'assignee'>,
    at: number,
  ): Promise<Offer[]> {
    await this.refresh(order.id);
    const changed: Offer[] = [];
    for (const offer of this.board.onOrder(order.id)) {
      const status = offerAfter(offer, order);
      if (status === offer.status) continue;
      const closed: Offer = { ...offer, status, reason: '', closedAt: at };
      if (await ledger.close(closed)) {
        this.board.put(closed);
        changed.push(closed);
      }
    }
    if (isClosed(order.state)) {
      this.board.forget(order.id);
      await ledger.forget(order.id);
    }
    return changed;
  }

  /** Another node's offers (changes.ts): held as they are; a closed order's forgotten. */
  adopt(offers: readonly Offer[], order?: Pick<Order, 'id' | 'state'>): void {
    for (const offer of offers) this.board.put(offer);
    if (order && isClosed(order.state)) this.board.forget(order.id);
  }
}
