/**
 * One command's execution, inside the order's queue: scope check, the pure state machine, the
 * double-booking rule, the write through ingest, then the projection, the pushes and the audit.
 */
import { canActOn } from '../../shared/auth.js';
import { DispatchWarning, type AuditResult, type CommandAck, type OrderCommandBody } from '../../shared/dispatch.js';
import type { PracticeEvent } from '../../shared/events.js';
import {
  apply,
  ActingLevel,
  CENTER_COMMANDS,
  decide,
  isClosed,
  type Order,
  type Places,
  type Target,
  type Transition,
} from '../../shared/orders.js';
import { teamExists } from '../store/orders-repository.js';
import { derivedId } from './ids.js';
import { recordAttempt } from './attempts.js';
import { refusal, writeEvents } from './outcome.js';
import { statusEvents, transitionEvent } from './events.js';
import type { DispatchActor, DispatchService } from './service.js';

const DEFAULT_REASONS: Partial<Record<string, string>> = {
  reject: '超出服务范围',
  cancel: '群众已自行解决',
  expire: '超时无人接单',
  escalate: '超时上报',
};

export class Execution {
  private readonly teams = new Map<string, boolean>();

  constructor(private readonly s: DispatchService) {}

  private readonly places: Places = {
    instituteOf: (kind, id) => {
      const node = this.s.options.nodes.get(id);
      switch (kind) {
        case 'institute':
          return node?.level === 'institute' ? id : undefined;
        case 'station':
          return node?.level === 'station' ? (node.instituteId ?? undefined) : undefined;
        case 'volunteer':
          return this.s.volunteers.info(id)?.institute_id;
        case 'team':
          return this.teams.get(id) === true ? id.split(':')[0] : undefined;
      }
    },
  };

  async command(actor: DispatchActor, body: OrderCommandBody): Promise<CommandAck> {
    const now = this.s.now();
    const order = this.s.projection.orders.get(body.orderId);
    const target = targetOf(body);
    const audit = (before: Order | undefined, result: AuditResult, code: string, message: string, t?: Transition) =>
      recordAttempt(this.s.audit, {
        actor,
        commandId: body.commandId,
        action: body.type,
        orderId: body.orderId,
        at: now,
        before,
        transition: t,
        target,
        result,
        code,
        message,
      });
    if (!order) {
      audit(undefined, 'refused', 'ORDER_NOT_FOUND', `no order ${body.orderId}`);
      return refusal('ORDER_NOT_FOUND', `no order ${body.orderId}`);
    }
    // Another town's order is refused without its details.
    const center = CENTER_COMMANDS.includes(body.type);
    if (!canActOn(actor, order.instituteId) || (center && !canActOn(actor, ''))) {
      const message = center ? `only the center may ${body.type}` : `order ${order.id} belongs to ${order.instituteId}`;
      audit(order, 'refused', 'AUTH_FORBIDDEN', message);
      return refusal('AUTH_FORBIDDEN', message);
    }
    if (this.s.knownEvents.has(derivedId(actor.id, body.commandId, 'transition'))) {
      audit(order, 'replayed', '', 'command already applied before a restart');
      return { ok: true, data: { order: this.s.projection.view(order), replayed: true, warnings: [] } };
    }
    if (target) await this.resolve(target);
    const by = canActOn(actor, '') ? ActingLevel.center : ActingLevel.town;
    const decided = decide(order, body, body.expectedVersion, now, this.places, by);
    if (!decided.ok) {
      audit(order, 'refused', decided.error.code, decided.error.message);
      return refusal(decided.error.code, decided.error.message, this.s.projection.view(order));
    }
    const t = decided.data;
    const targetTown = target ? (this.places.instituteOf(target.kind, target.id) ?? '') : t.instituteId;
    if (!canActOn(actor, t.instituteId) || !canActOn(actor, targetTown)) {
      const message = `${target?.kind ?? 'target'} ${target?.id ?? ''} is outside ${actor.scope}`;
      audit(order, 'refused', 'AUTH_FORBIDDEN', message);
      return refusal('AUTH_FORBIDDEN', message);
    }
    const warnings: { code: string; message: string }[] = [];
    const onto = t.assignee?.kind === 'volunteer' && t.assignee.id !== order.assignee?.id ? t.assignee.id : null;
    if (onto !== null && this.s.volunteers.load(onto, order.id) > 0) {
      const message = `volunteer ${onto} is already on ${this.s.volunteers.orderIds(onto).join(', ')}`;
      if (this.s.options.blockDoubleBooking) {
        audit(order, 'refused', 'ORDER_DOUBLE_BOOKING', message);
        return refusal('ORDER_DOUBLE_BOOKING', message, this.s.projection.view(order));
      }
      warnings.push({ code: DispatchWarning.doubleBooked, message });
    }
    const reason =
      (body.note ?? ('reason' in body ? body.reason : undefined) ?? DEFAULT_REASONS[body.type] ?? '') || '';
    const after = apply(order, t);
    const events = [
      transitionEvent(actor, body.commandId, order, after, t, reason, this.venueTown(order)),
      ...statusEvents(actor.id, body.commandId, order, t, (id) => this.s.volunteers.load(id, order.id)),
    ];
    const written = await writeEvents(this.s.options, events);
    if (written !== 'accepted') {
      if (written === 'duplicate') audit(order, 'replayed', '', 'its event was already written');
      else audit(order, 'refused', written, 'not written');
      if (written === 'duplicate')
        return { ok: true, data: { order: this.s.projection.view(order), replayed: true, warnings } };
      return refusal(written, written === 'INGEST_BACKPRESSURE' ? 'ingest is full; retry' : 'the event was refused');
    }
    this.commit(order, after, t, events, reason, actor);
    audit(order, 'ok', '', reason, t);
    return { ok: true, data: { order: this.s.projection.view(after), replayed: false, warnings } };
  }

  private async resolve(target: Target): Promise<void> {
    if (target.kind === 'volunteer') await this.s.volunteers.ensure([target.id]);
    if (target.kind === 'team' && !this.teams.has(target.id)) {
      this.teams.set(target.id, await teamExists(this.s.options.store, target.id));
    }
  }

  private venueTown(order: Order): string {
    return this.s.options.nodes.get(order.venueId)?.instituteId ?? '';
  }

  private commit(
    before: Order,
    after: Order,
    t: Transition,
    events: PracticeEvent[],
    reason: string,
    actor: DispatchActor,
  ): void {
    this.s.projection.orders.set(after.id, after);
    this.s.projection.record(after.id, {
      version: t.version,
      from: t.from,
      to: t.to,
      at: t.at,
      actor: actor.name,
      assignee: (t.assignee ?? t.freed)?.id ?? '',
      reason,
    });
    for (const e of events) this.s.known(e.id);
    const touched = new Set<string>();
    if (t.freed) {
      this.s.volunteers.track(t.freed.id, before.id, false);
      touched.add(t.freed.id);
    }
    if (after.assignee) {
      this.s.volunteers.track(after.assignee.id, after.id, true, after.state === 'in_service');
      touched.add(after.assignee.id);
    }
    for (const e of events) if (e.type === 'volunteer.status') this.s.volunteers.report(e.volunteerId, e.status);
    if (isClosed(after.state)) this.s.closed(after.id);
    this.s.emitOrder(after, before.instituteId);
    for (const id of touched) this.s.emitVolunteer(id);
  }
}

function targetOf(body: OrderCommandBody): Target | null {
  switch (body.type) {
    case 'dispatch_institute':
      return { kind: 'institute', id: body.instituteId };
    case 'dispatch_station':
      return { kind: 'station', id: body.stationId };
    case 'claim':
      return body.assignee;
    case 'reassign':
      return body.target;
    case 'accept':
    case 'reject':
    case 'start':
    case 'complete':
    case 'rate':
    case 'cancel':
    case 'escalate':
    case 'expire':
      return null;
  }
}
