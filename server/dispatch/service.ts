/**
 * The dispatch service: commands on orders, one at a time per order (order-queue.ts), each decided
 * without I/O (decide-command.ts, decide-request.ts: a Decision) and applied by the one `commit`
 * (commit.ts): its events written through ingest (the write-ahead log) before it is answered, every
 * attempt audited. With several nodes the version is won in Redis first (order-versions.ts), and
 * every node follows the others' changes (changes.ts, `receive`). A command id answers its sender's first result again when that sender retries it
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
  type Viewer,
  type VolunteerView,
} from '../../shared/dispatch.js';
import type { IngestResult, PracticeEvent } from '../../shared/events.js';
import type { Offer } from '../../shared/field.js';
import type { NetworkNode } from '../../shared/network.js';
import { maskText } from '../../shared/mask.js';
import { isClosed, OrderCode, type Order } from '../../shared/orders.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { auditOfOrder, auditOfVolunteer, latestStatuses, recentTransitionIds } from '../store/orders-repository.js';
import type { Transport } from '../store/transport.js';
import type { DispatchActor } from './actor.js';
import { SenderAnswers } from './answers.js';
import { auditRecord } from './audit-record.js';
import { AuditTrail } from './audit-trail.js';
import { commit, type CommitTarget } from './commit.js';
import { decideCommand, targetOf } from './decide-command.js';
import type { DispatchChange } from './changes.js';
import { decideRequest } from './decide-request.js';
import { refused, type Decision, type DispatchState } from './decision.js';
import { orderIdFor } from './ids.js';
import { KnownEvents } from './known-events.js';
import { OrderQueue } from './order-queue.js';
import { writeEvents } from './outcome.js';
import { OfferDesk } from './offer-desk.js';
import { SharedOffers, type OfferLedger } from './offer-ledger.js';
import { OfferBoard } from './offers.js';
import { localVersions, type OrderRecord, type OrderVersions } from './order-versions.js';
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
  /** Several nodes: where versions are won (order-versions.ts); one node: its queue alone. */
  versions?: OrderVersions;
  /** Several nodes: the offers kept in Redis (offer-ledger.ts). */
  ledger?: OfferLedger | null;
  /** Several nodes: tells the other nodes of a change (changes.ts). */
  share?: (change: DispatchChange) => void;
}

/** Claims tried for one command before it is refused as unavailable (each loses only to a newer version). */
const CLAIM_TRIES = 50;
/** Refusals that a node behind the cluster may give wrongly: asked again after catching up. */
const BEHIND_CODES: ReadonlySet<string> = new Set([OrderCode.staleVersion, DispatchCode.notFound]);

export interface DispatchListener {
  order(order: OrderView, previousInstituteId: string): void;
  volunteer(volunteer: VolunteerView): void;
  /** An offer to a volunteer opened or closed (the console shows it; the volunteer's phone rings). */
  offer?(offer: Offer, instituteId: string): void;
  /** Several nodes: who has an order open on another node (`origin`) now. */
  peerViewing?(origin: string, orderId: string, viewers: Viewer[]): void;
  /** Several nodes: a node started and asks for everyone's presence. */
  presenceAsked?(): void;
  /** Several nodes: a node's run went silent (dead or cut off): its presence ends. */
  peerGone?(origin: string): void;
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
  private readonly offers: SharedOffers;
  private readonly desk: OfferDesk;
  private readonly versions: OrderVersions;
  private readonly share: (change: DispatchChange) => void;

  constructor(private readonly options: DispatchServiceOptions) {
    this.now = options.now ?? Date.now;
    this.projection = new Projection(options.nodes);
    this.volunteers = new VolunteerBoard(options.store, options.nodes);
    this.audit = new AuditTrail(options.store, options.dataDir, options.log);
    this.places = new NetworkPlaces(options.store, options.nodes, this.volunteers);
    this.answers = new SenderAnswers((draft) => this.audit.record(draft), this.now);
    this.versions = options.versions ?? localVersions;
    this.share = options.share ?? (() => undefined);
    this.offers = new SharedOffers(new OfferBoard(), options.ledger ?? null, (error) =>
      options.log.warn({ err: error }, 'dispatch: offers not settled in Redis, settled on this node only'),
    );
    const { projection, volunteers, audit, known } = this;
    this.desk = new OfferDesk({
      projection,
      volunteers,
      audit,
      queue: this.queue,
      offers: this.offers,
      now: this.now,
      catchUp: (orderId) => this.catchUp(orderId),
      emit: (offer) => {
        this.share({ type: 'offer', offer });
        this.emitOffer(offer);
      },
    });
    this.board = { projection, volunteers, nodes: options.nodes, store: options.store, now: this.now };
    this.target = {
      projection,
      volunteers,
      audit,
      known,
      write: (events) => writeEvents(options, events),
      emitOrder: async (d, order, previous) => {
        // Offers first, so the order's push finds them settled (a claimed order is offered to nobody).
        const settled = await this.offers.settle(order, this.now());
        this.share({
          type: 'order',
          record: this.recordOf(d, order, false),
          previousInstituteId: previous,
          offers: settled,
        });
        this.pushOrder(order, previous, settled);
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
    // Several nodes: what the others decided is in Redis before it is in ClickHouse (in a peer's
    // log still, or in a dead peer's until it comes back), and so are the offers.
    const { adopted, offers } = await this.syncWithCluster();
    this.options.log.info(
      { orders: this.projection.size, staffed: staffed.length, adopted, offers },
      'dispatch projection loaded',
    );
  }

  /** Adopts every order the cluster holds newer than this node, and its offers (several nodes). */
  async syncWithCluster(): Promise<{ adopted: number; offers: number }> {
    let adopted = 0;
    for (const record of await this.versions.all()) {
      // Closed orders this node does not hold stay out, as the load leaves them (a command reads them on demand).
      if (isClosed(record.order.state) && !this.projection.get(record.order.id)) continue;
      if (await this.queue.run(record.order.id, () => Promise.resolve(this.adopt(record)))) adopted += 1;
    }
    return { adopted, offers: await this.offers.load() };
  }

  /** One command on one order (REST and socket alike). */
  command(actor: DispatchActor, body: OrderCommandBody): Promise<CommandAck> {
    const asked = { actor, commandId: body.commandId, orderId: body.orderId, action: body.type };
    return this.answers.once(asked, () =>
      this.queue.run(body.orderId, async () => {
        await this.places.resolve(targetOf(body));
        // A volunteer's claim depends on an offer that another node may have made a moment ago.
        if (actor.role === 'volunteer') await this.offers.refresh(body.orderId);
        return this.decideAndCommit(body.orderId, (s) => decideCommand(actor, body, s));
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
      this.queue.run(orderId, () => this.decideAndCommit(orderId, (s) => decideRequest(actor, body, orderId, s))),
    );
  }

  /** A volunteer's own status report (en route, off duty): an event, not a command on an order. */
  async report(event: Extract<PracticeEvent, { type: 'volunteer.status' }>): Promise<void> {
    const result = await this.options.submit([event]);
    if (result.accepted === 0) return;
    this.volunteers.report(event.volunteerId, event.status);
    this.share({ type: 'status', volunteerId: event.volunteerId, status: event.status });
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
  decline(actor: DispatchActor, orderId: string, reason: string): Promise<Result<Offer>> {
    return this.desk.decline(actor, orderId, reason);
  }

  /** The open offer of an order to a volunteer, if any. */
  openOffer(orderId: string, volunteerId: string): Offer | undefined {
    return this.offers.board.openOffer(orderId, volunteerId);
  }

  /** Every offer kept on an order (open and closed), oldest first. */
  offersOn(orderId: string): Offer[] {
    return this.offers.board.onOrder(orderId);
  }

  /** A volunteer's tasks: orders offered to them now and open orders on them. */
  tasksOf(volunteerId: string): OrderView[] {
    const ids = new Set([
      ...this.offers.board.openFor(volunteerId).map((o) => o.orderId),
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
      offered: (id, volunteerId) => this.offers.board.openOffer(id, volunteerId) !== undefined,
    };
  }

  /**
   * Decides on the order as this node holds it and commits — with several nodes, once the new
   * version is won in Redis (order-versions.ts). A node behind adopts the cluster's order and decides
   * again, so a command that lost answers the stale-version refusal with the current order, as on
   * one node; only the decision committed is audited.
   */
  private async decideAndCommit(orderId: string, decide: (s: DispatchState) => Decision): Promise<CommandAck> {
    let caughtUp = false;
    /** The cluster's version when it is behind this node's (a Redis restored from an older copy). */
    let clusterFrom: number | null = null;
    for (let tries = 0; tries < CLAIM_TRIES; tries += 1) {
      const d = decide(this.state(orderId));
      if (d.refusal && !caughtUp && BEHIND_CODES.has(d.refusal.code)) {
        caughtUp = true;
        if (await this.catchUp(orderId)) continue;
      }
      if (d.result !== 'ok' || !d.state || d.events.length === 0) return commit(this.target, d);
      const from = d.before?.version ?? 0;
      const claim = await this.versions.claim(clusterFrom ?? from, this.recordOf(d, d.state, true));
      switch (claim.kind) {
        case 'won':
          return commit(this.target, d, (kept) =>
            this.versions.settle(orderId, claim.token, kept).catch((error: unknown) => {
              // The pending mark expires by itself; the claimed version then stands (order-versions.ts).
              this.options.log.warn({ err: error, orderId }, 'dispatch: settling a claimed version failed');
            }),
          );
        case 'behind':
          caughtUp = true;
          // Older than what this node read from ClickHouse: the events are there, so build on them.
          clusterFrom = claim.record && claim.record.order.version < from ? claim.record.order.version : null;
          if (claim.record && clusterFrom === null) this.adopt(claim.record);
          continue;
        case 'busy':
          // Longer each time, about 6 s in all: past a dead claimer's pending mark (order-versions.ts).
          await new Promise((r) => setTimeout(r, Math.min(10 + tries * 5, 200)));
          continue;
        case 'unreachable':
          return commit(
            this.target,
            this.unavailable(d, 'Redis, where order versions are won, is out of reach', DispatchCode.sharedUnavailable),
          );
      }
    }
    return commit(this.target, this.unavailable(decide(this.state(orderId)), 'the order kept changing'));
  }

  /** A decision refused as unavailable (retry): nothing written, the attempt audited. */
  private unavailable(
    d: Decision,
    message: string,
    code: typeof DispatchCode.unavailable | typeof DispatchCode.sharedUnavailable = DispatchCode.unavailable,
  ): Decision {
    const { actor, commandId, action, at, before, target } = d.attempt;
    return refused(
      { actor, commandId, action, orderId: d.attempt.orderId, at, before, target },
      d.before,
      code,
      message,
      {
        answer: 'dispatch is busy; retry',
      },
    );
  }

  /** What the cluster keeps of an order after `d` (`ahead`: before the projection has it). */
  private recordOf(d: Decision, order: Order, ahead: boolean): OrderRecord {
    return {
      order,
      history: ahead ? this.projection.historyWith(order.id, d.history) : this.projection.historyWith(order.id, null),
      eventIds: d.events.map((e) => e.id),
      statuses: d.events.flatMap((e) =>
        e.type === 'volunteer.status' ? [{ volunteerId: e.volunteerId, status: e.status }] : [],
      ),
    };
  }

  /** Adopts the cluster's record of the order when it is ahead of this node's; answers whether it was. */
  private async catchUp(orderId: string): Promise<boolean> {
    const record = await this.versions.current(orderId).catch(() => null);
    return record !== null && this.adopt(record);
  }

  /**
   * Another node's order, newer than this node's: the projection, the volunteers on it and the
   * known events follow; this node's dispatchers and phones are told. Answers whether it was newer.
   */
  private adopt(record: OrderRecord, previous?: string, offers: readonly Offer[] = []): boolean {
    const { order } = record;
    const held = this.projection.get(order.id);
    if (held && held.version >= order.version) {
      this.offers.adopt(offers);
      return false;
    }
    this.projection.adopt(order, record.history);
    for (const id of record.eventIds) this.known.add(id);
    for (const s of record.statuses) this.volunteers.report(s.volunteerId, s.status);
    const touched = new Set<string>();
    const before = held?.assignee?.id;
    const now = isClosed(order.state) ? undefined : order.assignee?.id;
    if (before !== undefined && before !== now) {
      this.volunteers.track(before, order.id, false);
      touched.add(before);
    }
    if (now !== undefined) {
      this.volunteers.track(now, order.id, true, order.state === 'in_service');
      touched.add(now);
    }
    for (const s of record.statuses) touched.add(s.volunteerId);
    if (isClosed(order.state)) this.projection.closed(order.id);
    this.offers.adopt(offers, order);
    this.pushOrder(order, previous ?? held?.instituteId ?? order.instituteId, offers);
    void this.volunteers.ensure([...touched]).then(() => {
      for (const id of touched) this.emitVolunteer(id);
    });
    return true;
  }

  /** Another node's change (changes.ts), from the live peers' stream. */
  receive(origin: string, change: DispatchChange): void {
    switch (change.type) {
      case 'order':
        void this.queue.run(change.record.order.id, () =>
          Promise.resolve(this.adopt(change.record, change.previousInstituteId, change.offers)),
        );
        return;
      case 'offer':
        this.offers.adopt([change.offer]);
        this.emitOffer(change.offer);
        return;
      case 'status':
        this.volunteers.report(change.volunteerId, change.status);
        this.emitVolunteer(change.volunteerId);
        return;
      case 'viewing':
        for (const l of this.listeners) l.peerViewing?.(origin, change.orderId, change.viewers);
        return;
      case 'hello':
        for (const l of this.listeners) l.presenceAsked?.();
        return;
    }
  }

  /** Tells the other nodes who has an order open on this one (presence; sockets/dispatch.ts). */
  sharePresence(orderId: string, viewers: Viewer[]): void {
    this.share({ type: 'viewing', orderId, viewers });
  }

  /** A node's run went silent (live/peers.ts): what it said of its dispatchers is forgotten. */
  forgetPeer(origin: string): void {
    for (const l of this.listeners) l.peerGone?.(origin);
  }

  /** A node just started: asks the others for their presence. */
  askPresence(): void {
    this.share({ type: 'hello' });
  }

  private pushOrder(order: Order, previous: string, settled: readonly Offer[]): void {
    const view = this.projection.view(order);
    for (const l of this.listeners) l.order(view, previous);
    for (const offer of settled) this.emitOffer(offer);
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
