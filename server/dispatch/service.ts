/**
 * The dispatch service: commands on orders, one at a time per order (order-queue.ts), each decided
 * without I/O (decide-command.ts, decide-request.ts: a Decision) and applied by the one `commit`
 * (commit.ts): its events written through ingest (the write-ahead log) before it is answered, every
 * attempt audited. A command id answers its sender's first result again when that sender retries it
 * (answers.ts), and the event it writes has an id derived from both, so even a retry across a
 * restart writes nothing twice. Everything the routes and sockets read goes through here too.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger as Logger } from 'fastify';
import { canActOn } from '../../shared/auth.js';
import {
  DispatchCode,
  type AuditEntry,
  type Candidate,
  type CommandAck,
  type Note,
  type NoteBody,
  type OrderCommandBody,
  type OrderRequestBody,
  type OrderView,
  type VolunteerView,
} from '../../shared/dispatch.js';
import type { IngestResult, PracticeEvent } from '../../shared/events.js';
import type { Offer } from '../../shared/field.js';
import type { NetworkNode } from '../../shared/network.js';
import { maskText } from '../../shared/mask.js';
import type { Order } from '../../shared/orders.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { auditOfOrder, auditOfVolunteer, latestStatuses, recentTransitionIds } from '../store/orders-repository.js';
import type { Transport } from '../store/transport.js';
import type { DispatchActor } from './actor.js';
import { SenderAnswers } from './answers.js';
import { auditRecord } from './audit-record.js';
import { AuditTrail } from './audit-trail.js';
import { commit, type CommitTarget } from './commit.js';
import { decideCommand, targetOf } from './decide-command.js';
import { decideRequest } from './decide-request.js';
import type { DispatchState } from './decision.js';
import { orderIdFor } from './ids.js';
import { KnownEvents } from './known-events.js';
import { OrderQueue } from './order-queue.js';
import { writeEvents } from './outcome.js';
import { OfferDesk } from './offer-desk.js';
import { OfferBoard } from './offers.js';
import { NetworkPlaces } from './places.js';
import { Projection } from './projection.js';
import { busyVolunteers, candidates, openOrders, type Board } from './queries.js';
import { VolunteerBoard } from './volunteers.js';

export type { DispatchActor } from './actor.js';

export interface DispatchServiceOptions {
  store: Transport;
  nodes: ReadonlyMap<string, NetworkNode>;
  submit: (events: PracticeEvent[]) => Promise<IngestResult>;
  blockDoubleBooking: boolean;
  /** Where the audit journal lives until ClickHouse has its rows. */
  dataDir: string;
  log: Logger;
  now?: () => number;
}

export interface DispatchListener {
  order(order: OrderView, previousInstituteId: string): void;
  volunteer(volunteer: VolunteerView): void;
  /** An offer to a volunteer opened or closed (the console shows it; the volunteer's phone rings). */
  offer?(offer: Offer, instituteId: string): void;
}

export class DispatchService {
  readonly now: () => number;
  private readonly projection: Projection;
  private readonly volunteers: VolunteerBoard;
  private readonly audit: AuditTrail;
  private readonly places: NetworkPlaces;
  private readonly known = new KnownEvents();
  private readonly queue = new OrderQueue();
  private readonly answers: SenderAnswers;
  private readonly listeners = new Set<DispatchListener>();
  private readonly target: CommitTarget;
  private readonly board: Board;
  private readonly offers = new OfferBoard();
  private readonly desk: OfferDesk;

  constructor(private readonly options: DispatchServiceOptions) {
    this.now = options.now ?? Date.now;
    this.projection = new Projection(options.nodes);
    this.volunteers = new VolunteerBoard(options.store, options.nodes);
    this.audit = new AuditTrail(options.store, options.dataDir, options.log);
    this.places = new NetworkPlaces(options.store, options.nodes, this.volunteers);
    this.answers = new SenderAnswers((draft) => this.audit.record(draft), this.now);
    const { projection, volunteers, audit, known } = this;
    this.desk = new OfferDesk({
      projection,
      volunteers,
      audit,
      queue: this.queue,
      offers: this.offers,
      now: this.now,
      emit: (offer) => this.emitOffer(offer),
    });
    this.board = { projection, volunteers, nodes: options.nodes, store: options.store, now: this.now };
    this.target = {
      projection,
      volunteers,
      audit,
      known,
      write: (events) => writeEvents(options, events),
      emitOrder: (order, previous) => {
        // Offers first, so the order's push finds them settled (a claimed order is offered to nobody).
        const settled = this.offers.settle(order, this.now());
        const view = projection.view(order);
        for (const l of this.listeners) l.order(view, previous);
        for (const offer of settled) this.emitOffer(offer);
      },
      emitVolunteer: (id) => this.emitVolunteer(id),
    };
  }

  /** Rebuilds open orders, their volunteers and recent statuses from ClickHouse. */
  async start(): Promise<void> {
    const now = this.now();
    await this.audit.start();
    await this.projection.load(this.options.store, now);
    for (const id of await recentTransitionIds(this.options.store, now - 86_400_000)) this.known.add(id);
    for (const s of await latestStatuses(this.options.store, now - 86_400_000)) this.volunteers.report(s.id, s.status);
    const staffed = this.projection.all().filter((o) => o.assignee !== null);
    await this.volunteers.ensure(staffed.flatMap((o) => (o.assignee?.kind === 'volunteer' ? [o.assignee.id] : [])));
    for (const o of staffed) if (o.assignee) this.volunteers.track(o.assignee.id, o.id, true, o.state === 'in_service');
    this.options.log.info({ orders: this.projection.size, staffed: staffed.length }, 'dispatch projection loaded');
  }

  /** One command on one order (REST and socket alike). */
  command(actor: DispatchActor, body: OrderCommandBody): Promise<CommandAck> {
    const asked = { actor, commandId: body.commandId, orderId: body.orderId, action: body.type };
    return this.answers.once(asked, () =>
      this.queue.run(body.orderId, async () => {
        await this.places.resolve(targetOf(body));
        return commit(this.target, decideCommand(actor, body, this.state(body.orderId)));
      }),
    );
  }

  /** 群众点单: a new order at a 站 or 点; `orderId` is derived from the command id unless given. */
  request(
    actor: DispatchActor,
    body: OrderRequestBody,
    orderId = orderIdFor(actor.id, body.commandId),
  ): Promise<CommandAck> {
    const asked = { actor, commandId: body.commandId, orderId, action: 'request' };
    return this.answers.once(asked, () =>
      this.queue.run(orderId, () => commit(this.target, decideRequest(actor, body, orderId, this.state(orderId)))),
    );
  }

  /** A volunteer's own status report (en route, off duty): an event, not a command on an order. */
  async report(event: Extract<PracticeEvent, { type: 'volunteer.status' }>): Promise<void> {
    const result = await this.options.submit([event]);
    if (result.accepted === 0) return;
    this.volunteers.report(event.volunteerId, event.status);
    await this.volunteers.ensure([event.volunteerId]);
    this.emitVolunteer(event.volunteerId);
  }

  /** A note between dispatchers on an order: audited; the caller pushes it to the order's town. */
  note(actor: DispatchActor, body: NoteBody): Result<Note> {
    const order = this.projection.get(body.orderId);
    if (!order) return fail(DispatchCode.notFound, `no order ${body.orderId}`);
    if (!canActOn(actor, order.instituteId))
      return fail(DispatchCode.forbidden, `order ${body.orderId} is outside ${actor.scope}`);
    const at = this.now();
    const id = randomUUID();
    const attempt = { actor, commandId: id, action: 'note', orderId: order.id, at, before: order };
    this.audit.record(auditRecord({ ...attempt, result: 'ok', code: '', message: body.text }));
    // Kept whole on the trail; the colleagues it goes out to read it masked, as they do the order.
    return ok({ id, orderId: order.id, author: { id: actor.id, name: actor.name }, text: maskText(body.text), at });
  }

  /**
   * 派给志愿者: offers an order waiting at a 站 to a volunteer of its town (offer-desk.ts); the order
   * does not change until the volunteer claims it.
   */
  offer(actor: DispatchActor, orderId: string, volunteerId: string): Promise<Result<Offer>> {
    return this.desk.offer(actor, orderId, volunteerId);
  }

  /** The volunteer declines an order offered to them, with a reason (offer-desk.ts). */
  decline(actor: DispatchActor, orderId: string, reason: string): Result<Offer> {
    return this.desk.decline(actor, orderId, reason);
  }

  /** The open offer of an order to a volunteer, if any. */
  openOffer(orderId: string, volunteerId: string): Offer | undefined {
    return this.offers.openOffer(orderId, volunteerId);
  }

  /** Every offer kept on an order (open and closed), oldest first. */
  offersOn(orderId: string): Offer[] {
    return this.offers.onOrder(orderId);
  }

  /** A volunteer's tasks: orders offered to them now and open orders on them. */
  tasksOf(volunteerId: string): OrderView[] {
    const ids = new Set([
      ...this.offers.openFor(volunteerId).map((o) => o.orderId),
      ...this.volunteers.orderIds(volunteerId),
    ]);
    return [...ids].flatMap((id) => {
      const order = this.projection.get(id);
      return order ? [this.projection.view(order)] : [];
    });
  }

  /**
   * Pushes of every order and volunteer change; answers the unsubscribe. It answers nothing: called
   * as `addHook('preClose', async () => unsubscribe())`, a `true` from Set.delete failed the app's close.
   */
  subscribe(listener: DispatchListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** An order as the console sees it; undefined when the service holds none. */
  order(orderId: string): OrderView | undefined {
    const order = this.projection.get(orderId);
    return order && this.projection.view(order);
  }

  /** Whether the principal may see (and act on) the order: its town's, or any for the district. */
  visible(actor: Pick<DispatchActor, 'role' | 'scope'>, orderId: string): boolean {
    const order = this.projection.get(orderId);
    return order !== undefined && canActOn(actor, order.instituteId);
  }

  /** The town (所) holding an order now; '' when unknown. */
  townOf(orderId: string): string {
    return this.projection.get(orderId)?.instituteId ?? '';
  }

  /** Every order held, as the state machine sees it (the SLA timer's read). */
  orderStates(): Order[] {
    return this.projection.all();
  }

  /** Open orders of a scope (a town or the district), oldest first. */
  openOrders(scope: string): OrderView[] {
    return openOrders(this.board, scope);
  }

  /** Volunteers on open orders of the scope. */
  busyVolunteers(scope: string): VolunteerView[] {
    return busyVolunteers(this.board, scope);
  }

  candidates(actor: DispatchActor, orderId: string, limit: number): Promise<Result<Candidate[]>> {
    return candidates(this.board, actor, orderId, limit);
  }

  /** A volunteer from the registry (read from ClickHouse when not cached); undefined when unknown. */
  async volunteer(id: string): Promise<VolunteerView | undefined> {
    await this.volunteers.ensure([id]);
    return this.volunteers.info(id) ? this.volunteers.view(id) : undefined;
  }

  /** An order's audit trail, oldest first, with every attempt recorded so far. */
  async orderTimeline(orderId: string, limit: number): Promise<AuditEntry[]> {
    await this.audit.flush();
    return auditOfOrder(this.options.store, orderId, limit);
  }

  /** The attempts naming a volunteer, newest first, with every attempt recorded so far. */
  async volunteerTimeline(id: string, limit: number): Promise<AuditEntry[]> {
    await this.audit.flush();
    return auditOfVolunteer(this.options.store, id, limit);
  }

  /** Writes what the audit holds; resolves once ClickHouse has it. */
  flushAudit(): Promise<void> {
    return this.audit.flush();
  }

  /** Runs `during` with no audit block written (a backup's cut; see audit-trail.ts). */
  holdingAudit<T>(during: () => Promise<T>): Promise<T> {
    return this.audit.holding(during);
  }

  async close(): Promise<void> {
    await this.queue.drain();
    await this.audit.close();
  }

  /** The state a decision reads, taken inside the order's queue. */
  private state(orderId: string): DispatchState {
    return {
      now: this.now(),
      order: this.projection.get(orderId),
      node: (id) => this.options.nodes.get(id),
      places: this.places,
      load: (id, exceptOrder) => this.volunteers.load(id, exceptOrder),
      orderIds: (id) => this.volunteers.orderIds(id),
      known: (id) => this.known.has(id),
      blockDoubleBooking: this.options.blockDoubleBooking,
      offered: (id, volunteerId) => this.offers.openOffer(id, volunteerId) !== undefined,
    };
  }

  private emitOffer(offer: Offer): void {
    const town = this.projection.get(offer.orderId)?.instituteId ?? '';
    for (const l of this.listeners) l.offer?.(offer, town);
  }

  private emitVolunteer(id: string): void {
    if (id.includes(':')) return; // a team: no volunteer view
    const view = this.volunteers.view(id);
    for (const l of this.listeners) l.volunteer(view);
  }
}
