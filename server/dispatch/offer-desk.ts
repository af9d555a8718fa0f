/**
 * 派给志愿者 and its answer: a dispatcher offers an order waiting at a 站 to a volunteer of its town
 * (who has the phone app: the route checks), and the volunteer declines it with a reason — or
 * accepts it with their own `claim`, a command like any other (decide-command.ts lets a volunteer
 * claim only an order offered to them). Neither an offer nor a decline changes the order; both are
 * on the dispatch audit trail, refusals too, and pushed at once (DispatchListener.offer).
 */
import { randomUUID } from 'node:crypto';
import { canActOn } from '../../shared/auth.js';
import { DispatchCode } from '../../shared/dispatch.js';
import { FieldCode, type Offer } from '../../shared/field.js';
import { fail, ok, type Result } from '../../shared/result.js';
import type { DispatchActor } from './actor.js';
import { auditRecord } from './audit-record.js';
import type { AuditTrail } from './audit-trail.js';
import type { SharedOffers } from './offer-ledger.js';
import type { OrderQueue } from './order-queue.js';
import type { Projection } from './projection.js';
import type { VolunteerBoard } from './volunteers.js';
import { Errors } from '../errors.js';

const SHARED_AWAY = 'Redis, where offers are kept, is out of reach';

export interface OfferDeskParts {
  projection: Projection;
  volunteers: VolunteerBoard;
  audit: AuditTrail;
  queue: OrderQueue;
  offers: SharedOffers;
  now: () => number;
  /** Several nodes: adopts the cluster's order when this node's projection is behind it. */
  catchUp: (orderId: string) => Promise<boolean>;
  emit: (offer: Offer) => void;
}

export class OfferDesk {
  constructor(private readonly p: OfferDeskParts) {}

  /** Run in the order's queue, so an offer never crosses a command on the same order. */
  async offer(actor: DispatchActor, orderId: string, volunteerId: string): Promise<Result<Offer>> {
    await this.p.volunteers.ensure([volunteerId]);
    return this.p.queue.run(orderId, () => this.open(actor, orderId, volunteerId));
  }

  /** In the order's queue too: a decline never crosses the claim that would settle the offer. */
  decline(actor: DispatchActor, orderId: string, reason: string): Promise<Result<Offer>> {
    return this.p.queue.run(orderId, () => this.closeOwn(actor, orderId, reason));
  }

  private async closeOwn(actor: DispatchActor, orderId: string, reason: string): Promise<Result<Offer>> {
    const at = this.p.now();
    const audit = this.auditing(actor, 'decline', orderId, actor.id, at);
    let declined: Offer | null;
    try {
      declined = await this.p.offers.decline(orderId, actor.id, reason, at);
    } catch (error) {
      // Several nodes, Redis away: refused as a dispatch command is (retry), audited, nothing closed.
      if (error instanceof Errors.SHARED_UNAVAILABLE) return audit.refuse(DispatchCode.sharedUnavailable, SHARED_AWAY);
      throw error;
    }
    if (!declined) return audit.refuse(FieldCode.noOffer, `no open offer of ${orderId} to ${actor.id}`);
    audit.ok(reason);
    this.p.emit(declined);
    return ok(declined);
  }

  private async open(actor: DispatchActor, orderId: string, volunteerId: string): Promise<Result<Offer>> {
    // Offered a moment after another node dispatched it to the 站: decided on the cluster's order.
    if (this.p.projection.get(orderId)?.state !== 'dispatched_station') await this.p.catchUp(orderId);
    const order = this.p.projection.get(orderId);
    const at = this.p.now();
    const audit = this.auditing(actor, 'offer', orderId, volunteerId, at);
    // Another town's order is not there for this dispatcher, as in the console's reads.
    if (!order || !canActOn(actor, order.instituteId))
      return audit.refuse(DispatchCode.notFound, `no order ${orderId}`);
    if (order.state !== 'dispatched_station') {
      return audit.refuse('ORDER_ILLEGAL_TRANSITION', `an order that is ${order.state} cannot be offered`);
    }
    // 接单 stays in the town the order was dispatched to (shared/orders.ts).
    if (this.p.volunteers.info(volunteerId)?.institute_id !== order.instituteId) {
      return audit.refuse('ORDER_TARGET_OUT_OF_TOWN', `volunteer ${volunteerId} is not of ${order.instituteId}`);
    }
    let opened: { offer: Offer; created: boolean };
    try {
      opened = await this.p.offers.open({
        orderId,
        volunteerId,
        volunteerName: this.p.volunteers.view(volunteerId).name,
        by: { id: actor.id, name: actor.name },
        at,
      });
    } catch (error) {
      // Several nodes, Redis away: refused as a dispatch command is (retry), audited, no phone rung.
      if (error instanceof Errors.SHARED_UNAVAILABLE) return audit.refuse(DispatchCode.sharedUnavailable, SHARED_AWAY);
      throw error;
    }
    const { offer, created } = opened;
    // Offering twice rings once: the second answers the open offer and writes nothing.
    if (created) {
      audit.ok('');
      this.p.emit(offer);
    }
    return ok(offer);
  }

  private auditing(
    actor: DispatchActor,
    action: 'offer' | 'decline',
    orderId: string,
    volunteerId: string,
    at: number,
  ) {
    const before = this.p.projection.get(orderId);
    const attempt = {
      actor,
      commandId: randomUUID(),
      action,
      orderId,
      at,
      before,
      target: { kind: 'volunteer' as const, id: volunteerId },
    };
    return {
      ok: (message: string) => this.p.audit.record(auditRecord({ ...attempt, result: 'ok', code: '', message })),
      refuse: (code: string, message: string): Result<never> => {
        this.p.audit.record(auditRecord({ ...attempt, result: 'refused', code, message }));
        return fail(code, message);
      },
    };
  }
}
