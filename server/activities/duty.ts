/**
 * 签到 on duty for an order: a volunteer holding an order at a place (claimed or in service there)
 * checks in by scanning that place's code, as for an activity — the "not signed up or not on
 * duty there" names both. The check-in is an event like any other (the wall's feed, tiles and heat
 * move), and arriving starts a claimed order (服务中), through the dispatch service with the volunteer
 * as the actor, so the version check and the audit apply. Check-out credits the hours since.
 *
 * The check-ins are remembered in memory by order: a check-out after a restart is refused as "not
 * checked in" (the volunteer completes the order on the task page instead, which needs none).
 */
import { randomUUID } from 'node:crypto';
import { ActivityCode, nearness } from '../../shared/activities.js';
import type { ScanBody, ScanResult } from '../../shared/activity-api.js';
import type { Principal } from '../../shared/auth.js';
import type { IngestResult, PracticeEvent } from '../../shared/events.js';
import type { NetworkNode } from '../../shared/network.js';
import { STAFFED_STATES } from '../../shared/orders.js';
import type { DispatchService } from '../dispatch/service.js';
import { Errors, refusal } from '../errors.js';

/** As an activity's (shared/activities.ts serviceHours): to two decimals, rounded down, at most a day. */
const hoursBetween = (from: number, to: number): number =>
  to <= from ? 0 : Math.min(24, Math.floor((to - from) / 36_000) / 100);

export interface DutyDeps {
  dispatch: Pick<DispatchService, 'tasksOf' | 'command'>;
  nodes: ReadonlyMap<string, NetworkNode>;
  submit: (events: PracticeEvent[]) => Promise<IngestResult>;
}

export class DutyScans {
  /** order id → the check-in made for it. */
  private readonly checkins = new Map<string, { eventId: string; at: number; volunteerId: string }>();

  constructor(private readonly deps: DutyDeps) {}

  /** The scan as a check-in or out on an order of mine at that node; null when I hold none there. */
  async scan(me: Principal, body: ScanBody, at: number): Promise<ScanResult | null> {
    const order = this.deps.dispatch
      .tasksOf(me.id)
      .find((o) => o.venueId === body.nodeId && o.assignee?.id === me.id && STAFFED_STATES.includes(o.state));
    const node = this.deps.nodes.get(body.nodeId);
    if (!order || !node) return null;
    const place = nearness(body.position, node);
    const eventId = body.id.toLowerCase();
    const earlier = this.checkins.get(order.id);
    const answer = (outcome: ScanResult['outcome'], id: string, hours: number): ScanResult => ({
      eventId: id,
      outcome,
      activityId: order.id,
      title: order.title,
      hours,
      near: place?.near ?? null,
      distanceM: place ? Math.round(place.distanceM) : null,
      checkedIn: this.checkins.has(order.id) ? 1 : 0,
      capacity: 1,
    });
    const base = { id: eventId, nodeId: node.id, ts: at, volunteerId: me.id, activityId: order.id };
    const name = me.name.slice(0, 32);
    if (body.action === 'checkin') {
      if (earlier) return answer('already', earlier.eventId, 0);
      await this.write({ ...base, type: 'checkin', volunteerName: name, ...(place ? { near: place.near } : {}) });
      this.checkins.set(order.id, { eventId, at, volunteerId: me.id });
      if (order.state === 'claimed') {
        const started = await this.deps.dispatch.command(me, {
          commandId: randomUUID(),
          orderId: order.id,
          expectedVersion: order.version,
          type: 'start',
        });
        // Someone moved the order in between (the phone's own 开始服务): the check-in stands.
        if (!started.ok && started.error.code !== 'ORDER_STALE_VERSION')
          throw refusal(started.error.code, started.error.message);
      }
      return answer('checkin', eventId, 0);
    }
    if (!earlier) throw refusal(ActivityCode.notCheckedIn, 'not checked in for this order');
    const hours = hoursBetween(earlier.at, at);
    await this.write({ ...base, type: 'checkout', volunteerName: name, hours });
    this.checkins.delete(order.id);
    return answer('checkout', eventId, hours);
  }

  private async write(event: PracticeEvent): Promise<void> {
    const answer = await this.deps.submit([event]);
    const item = answer.items[0];
    if (item?.status === 'rejected') throw new Errors.VALIDATION(item.reason ?? 'the event was refused');
  }
}
