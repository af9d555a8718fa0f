/**
 * The dispatch service: commands on orders, one at a time per order, each accepted one written
 * through ingest (the write-ahead log) as an `order.transition` event before it is answered, every
 * attempt audited. A command id answers its sender's first result again when that sender retries
 * it, and the event it writes has an id derived from both, so even a retry across a restart writes
 * nothing twice; the same id from another sender is that sender's own command.
 */
import type { FastifyBaseLogger as Logger } from 'fastify';
import { canActOn, type Principal } from '../../shared/auth.js';
import type {
  CommandAck,
  OrderCommandBody,
  OrderRequestBody,
  OrderView,
  VolunteerView,
} from '../../shared/dispatch.js';
import type { IngestResult, PracticeEvent } from '../../shared/events.js';
import type { NetworkNode } from '../../shared/network.js';
import type { Order } from '../../shared/orders.js';
import { recordReplay } from './attempts.js';
import { AuditTrail } from './audit-trail.js';
import { orderIdFor } from './ids.js';
import { Projection } from './projection.js';
import { requestOrder } from './request.js';
import { recentTransitionIds, latestStatuses } from '../store/orders-repository.js';
import type { Transport } from '../store/transport.js';
import { Execution } from './execution.js';
import { VolunteerBoard } from './volunteers.js';

export type DispatchActor = Pick<Principal, 'id' | 'name' | 'role' | 'scope'>;

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
}

const RESULTS_KEPT = 20_000;
/**
 * Refusals not kept as a command's answer: they depend on who sent it (scope) or on the moment
 * (an order not there yet, a full ingest), so a retry is decided again.
 */
const NOT_KEPT: ReadonlySet<string> = new Set(['AUTH_FORBIDDEN', 'ORDER_NOT_FOUND', 'INGEST_BACKPRESSURE', 'INTERNAL']);
const KNOWN_EVENTS_KEPT = 500_000;

export class DispatchService {
  readonly projection: Projection;
  readonly volunteers: VolunteerBoard;
  readonly audit: AuditTrail;
  readonly now: () => number;
  private readonly results = new Map<string, Promise<CommandAck>>();
  private readonly queues = new Map<string, Promise<void>>();
  readonly knownEvents = new Set<string>();
  private readonly closedOrder: string[] = [];
  readonly listeners = new Set<DispatchListener>();
  readonly exec: Execution;

  constructor(readonly options: DispatchServiceOptions) {
    this.now = options.now ?? Date.now;
    this.projection = new Projection(options.nodes);
    this.volunteers = new VolunteerBoard(options.store, options.nodes);
    this.audit = new AuditTrail(options.store, options.dataDir, options.log);
    this.exec = new Execution(this);
  }

  /** Rebuilds open orders, their volunteers and recent statuses from ClickHouse. */
  async start(): Promise<void> {
    const now = this.now();
    await this.audit.start();
    await this.projection.load(this.options.store, now);
    for (const id of await recentTransitionIds(this.options.store, now - 86_400_000)) this.known(id);
    for (const s of await latestStatuses(this.options.store, now - 86_400_000)) this.volunteers.report(s.id, s.status);
    const staffed = [...this.projection.orders.values()].filter((o) => o.assignee !== null);
    await this.volunteers.ensure(staffed.flatMap((o) => (o.assignee?.kind === 'volunteer' ? [o.assignee.id] : [])));
    for (const o of staffed) if (o.assignee) this.volunteers.track(o.assignee.id, o.id, true, o.state === 'in_service');
    this.options.log.info(
      { orders: this.projection.orders.size, staffed: staffed.length },
      'dispatch projection loaded',
    );
  }

  /** One command on one order (REST and socket alike). */
  command(actor: DispatchActor, body: OrderCommandBody): Promise<CommandAck> {
    return this.once(actor, body.commandId, body.orderId, body.type, () =>
      this.serial(body.orderId, () => this.exec.command(actor, body)),
    );
  }

  /** 群众点单: a new order at a 站 or 点; `orderId` is derived from the command id unless given. */
  request(
    actor: DispatchActor,
    body: OrderRequestBody,
    orderId = orderIdFor(actor.id, body.commandId),
  ): Promise<CommandAck> {
    return this.once(actor, body.commandId, orderId, 'request', () =>
      this.serial(orderId, () => requestOrder(this, actor, body, orderId)),
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

  /** Orders a principal may see: its town's, or all for the district. */
  visible(actor: Pick<Principal, 'role' | 'scope'>, order: Order): boolean {
    return canActOn(actor, order.instituteId);
  }

  emitOrder(order: Order, previousInstituteId: string): void {
    const view = this.projection.view(order);
    for (const l of this.listeners) l.order(view, previousInstituteId);
  }

  emitVolunteer(id: string): void {
    if (id.includes(':')) return; // a team: no volunteer view
    const view = this.volunteers.view(id);
    for (const l of this.listeners) l.volunteer(view);
  }

  known(eventId: string): void {
    this.knownEvents.add(eventId);
    if (this.knownEvents.size > KNOWN_EVENTS_KEPT) {
      const first = this.knownEvents.values().next();
      if (!first.done) this.knownEvents.delete(first.value);
    }
  }

  /** Closed orders stay answerable (a late retry, a stale command) until many more have closed. */
  closed(orderId: string): void {
    this.closedOrder.push(orderId);
    while (this.closedOrder.length > 20_000) {
      const old = this.closedOrder.shift();
      const o = old === undefined ? undefined : this.projection.orders.get(old);
      if (old !== undefined && o && o.state !== 'completed') this.projection.forget(old);
    }
  }

  /** Writes what the audit holds; resolves once ClickHouse has it. */
  flushAudit(): Promise<void> {
    return this.audit.flush();
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()]);
    await this.audit.close();
  }

  /**
   * The first answer to a sender's command id, whatever its retries; a retry is audited as replayed.
   * Keyed by the sender too: another principal's same id (a guessed or copied one, the timer's) is
   * never answered from here, nor does it decide what the first sender's retry gets.
   */
  private async once(
    actor: DispatchActor,
    commandId: string,
    orderId: string,
    action: string,
    run: () => Promise<CommandAck>,
  ): Promise<CommandAck> {
    const key = `${actor.id}\u0000${commandId.toLowerCase()}`;
    const first = this.results.get(key);
    if (first) {
      const answer = await first;
      recordReplay(this.audit, { actor, commandId: commandId.toLowerCase(), orderId, action, at: this.now() }, answer);
      return answer.ok ? { ok: true, data: { ...answer.data, replayed: true } } : answer;
    }
    const pending = run();
    this.results.set(key, pending);
    if (this.results.size > RESULTS_KEPT) {
      const oldest = this.results.keys().next();
      if (!oldest.done) this.results.delete(oldest.value);
    }
    const answer = await pending;
    if (!answer.ok && NOT_KEPT.has(answer.error.code)) this.results.delete(key);
    return answer;
  }

  /** Runs `fn` after every earlier command on the same order: one version, one winner. */
  private serial<T>(orderId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(orderId) ?? Promise.resolve();
    const run = previous.then(fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(orderId, tail);
    void tail.then(() => {
      if (this.queues.get(orderId) === tail) this.queues.delete(orderId);
    });
    return run;
  }
}
