/**
 * Live figures ClickHouse cannot answer in time at scale, kept in the server from what it reads of
 * the store once at start (store/live-figures-repository.ts) and every event accepted since (its
 * own and its peers', and the write-ahead log's tail replayed at start). Over 100 M events the
 * four statements of `nodes.status` took 60–95 ms (volunteers on duty per site over today's 110 k
 * check-ins and check-outs, a week's appeals against those closed, open orders, check-ins per site)
 * and the KPI's two distinct counts (on duty, today's activities) half of its 57 ms; here each is
 * arithmetic over a few maps. (appeals.categories' 30 days, 248 k appeals there, stayed in SQL: a
 * walk over them in JS was no faster on this machine.)
 *
 * Every structure is idempotent per event — a maximum, a set, or a map keyed by the event's id — so
 * an event applied twice (read from the store and also accepted, a retried block, the log's tail
 * replayed) counts once, and the order in which the start's read and accepted events arrive does
 * not matter. Answers equal the SQL of store/map-repository.ts (`queryNodeStatus`) and
 * store/kpi-repository.ts (the two counts); tests/server/live/figures.int.test.ts checks both on real
 * chdb, after a restart and a retried block. Pure: no I/O, no clock of its own.
 */
import { EventType, type PracticeEvent } from '../../shared/events.js';
import { CLOSED_STATES } from '../../shared/orders.js';
import { EXPIRE_AFTER_MS, ORDER_SLA_MS } from '../../shared/order-sla.js';
import { APPEAL_DUE_MS } from '../../shared/queries/appeals-categories.js';
import type { QueryParams } from '../../shared/queries/index.js';
import type { NodeStatus } from '../../shared/queries/nodes-status.js';
import { WINDOW_MS } from '../../shared/queries/window.js';
import { localDay } from '../../shared/time-zone.js';
import { toRow } from '../store/events-repository.js';
import {
  APPEAL_LOOKBACK_MS,
  type FigureRow,
  type LiveFiguresRead,
  type PresenceRow,
} from '../store/live-figures-repository.js';
import type { ScopeNodes } from '../store/scope-sql.js';

/** The longest check-in window nodes.status offers. */
const CHECKIN_HORIZON_MS = WINDOW_MS['24h'] + 60_000;

const CLOSED = new Set<string>(CLOSED_STATES);
/** The event types the figures read: the sources of nodes.status and the KPI's two counts. */
export const COUNTED: ReadonlySet<string> = new Set([
  EventType.checkin,
  EventType.checkout,
  EventType.appealReceived,
  EventType.appealClosed,
  EventType.order,
]);
const SLA: Readonly<Record<string, number>> = ORDER_SLA_MS;
const DUE: Readonly<Record<string, number>> = APPEAL_DUE_MS;

interface Presence {
  in: number;
  out: number;
}
/** On the same millisecond the check-out wins, as in the KPI's SQL. */
const onDuty = (p: Presence): boolean => p.in > p.out;

/** One civil day's presence: per site and volunteer, per volunteer (the district), and activities. */
class Day {
  readonly bySite = new Map<string, Map<string, Presence>>();
  readonly activeBySite = new Map<string, number>();
  readonly byVolunteer = new Map<string, Presence>();
  activeDistrict = 0;
  readonly activities = new Map<string, Set<string>>();
  readonly allActivities = new Set<string>();

  presence(node: string, volunteer: string, checkedIn: number, checkedOut: number): void {
    let site = this.bySite.get(node);
    if (!site) this.bySite.set(node, (site = new Map<string, Presence>()));
    const before = site.get(volunteer) ?? { in: 0, out: 0 };
    const after = { in: Math.max(before.in, checkedIn), out: Math.max(before.out, checkedOut) };
    site.set(volunteer, after);
    const delta = Number(onDuty(after)) - Number(onDuty(before));
    if (delta !== 0) this.activeBySite.set(node, (this.activeBySite.get(node) ?? 0) + delta);
    const wasDistrict = this.byVolunteer.get(volunteer) ?? { in: 0, out: 0 };
    const isDistrict = { in: Math.max(wasDistrict.in, checkedIn), out: Math.max(wasDistrict.out, checkedOut) };
    this.byVolunteer.set(volunteer, isDistrict);
    this.activeDistrict += Number(onDuty(isDistrict)) - Number(onDuty(wasDistrict));
  }

  activity(node: string, activity: string): void {
    let set = this.activities.get(node);
    if (!set) this.activities.set(node, (set = new Set<string>()));
    set.add(activity);
    this.allActivities.add(activity);
  }
}

interface Transition {
  node: string;
  tag: string;
  version: number;
  ts: number;
}

interface Received {
  subject: string;
  node: string;
  tag: string;
  ts: number;
}

type Figures = Omit<NodeStatus, 'id'>;

export class LiveFigures {
  private readonly days = new Map<number, Day>();
  /** Check-ins of the last day by event id: site and time. */
  private readonly checkins = new Map<string, { node: string; ts: number }>();
  /**
   * Appeals received per civil day, by event id (a re-used appeal id is counted per received event,
   * as SQL counts rows): the week's walk skips older days.
   */
  private readonly received = new Map<number, Map<string, Received>>();
  /** The `nowMs` of the last pruning: memory is trimmed once a minute, not on every answer. */
  private prunedAt = -Infinity;
  /** Per appeal id, its latest closing. */
  private readonly closed = new Map<string, number>();
  /** Per order id, its transitions by event id. */
  private readonly orders = new Map<string, Map<string, Transition>>();

  /** One event row, from the store, the write-ahead log or ingest. */
  apply(r: FigureRow): void {
    switch (r.type) {
      case EventType.checkin:
        this.day(localDay(r.ts)).presence(r.node_id, r.volunteer_id, r.ts, 0);
        this.day(localDay(r.ts)).activity(r.node_id, r.subject_id);
        this.checkins.set(r.id, { node: r.node_id, ts: r.ts });
        return;
      case EventType.checkout:
        this.day(localDay(r.ts)).presence(r.node_id, r.volunteer_id, 0, r.ts);
        return;
      case EventType.appealReceived:
        this.appealsOf(localDay(r.ts)).set(r.id, { subject: r.subject_id, node: r.node_id, tag: r.tag, ts: r.ts });
        return;
      case EventType.appealClosed:
        this.closed.set(r.subject_id, Math.max(this.closed.get(r.subject_id) ?? 0, r.ts));
        return;
      case EventType.order: {
        let order = this.orders.get(r.subject_id);
        if (!order) this.orders.set(r.subject_id, (order = new Map<string, Transition>()));
        order.set(r.id, { node: r.node_id, tag: r.tag, version: r.version, ts: r.ts });
        return;
      }
    }
  }

  /** An accepted event: only the kinds the figures count become a row. */
  accept(events: readonly PracticeEvent[]): void {
    for (const e of events) if (COUNTED.has(e.type)) this.apply(toRow(e, ''));
  }

  /** The start's read of the store (store/live-figures-repository.ts), merged like any other rows. */
  load(read: LiveFiguresRead): void {
    for (const r of read.presence) this.presenceRow(r);
    for (const a of read.activities) this.day(a.day).activity(a.node_id, a.activity);
    for (const r of read.rows) this.apply(r);
    for (const r of read.closings)
      this.closed.set(r.subject_id, Math.max(this.closed.get(r.subject_id) ?? 0, r.closed_at));
  }

  private presenceRow(r: PresenceRow): void {
    this.day(r.day).presence(r.node_id, r.volunteer_id, r.checked_in, r.checked_out);
  }

  /** Volunteers on duty and distinct activities today, in scope (the KPI's two distinct counts). */
  today(nowMs: number, scope: ScopeNodes): { active: number; activities: number } {
    const day = this.days.get(localDay(nowMs));
    if (!day) return { active: 0, activities: 0 };
    if (scope === null) return { active: day.activeDistrict, activities: day.allActivities.size };
    // A volunteer counts once in a scope, by their latest check-in and check-out at any of its sites.
    const merged = new Map<string, Presence>();
    const activities = new Set<string>();
    for (const node of new Set(scope)) {
      for (const [volunteer, p] of day.bySite.get(node) ?? []) {
        const m = merged.get(volunteer);
        merged.set(volunteer, m ? { in: Math.max(m.in, p.in), out: Math.max(m.out, p.out) } : p);
      }
      for (const a of day.activities.get(node) ?? []) activities.add(a);
    }
    let active = 0;
    for (const p of merged.values()) if (onDuty(p)) active += 1;
    return { active, activities: activities.size };
  }

  /** `nodes.status` at `nowMs`: the same figures as queryNodeStatus's SQL. */
  nodeStatus(nowMs: number, params: QueryParams<'nodes.status'>, scope: ScopeNodes): NodeStatus[] {
    this.prune(nowMs);
    const inScope =
      scope === null
        ? () => true
        : (
            (set) => (id: string) =>
              set.has(id)
          )(new Set(scope));
    const byId = new Map<string, Figures>();
    const at = (id: string): Figures => {
      let f = byId.get(id);
      if (!f) byId.set(id, (f = { active: 0, checkins: 0, openOrders: 0, openAppeals: 0, overdue: 0 }));
      return f;
    };
    const day = this.days.get(localDay(nowMs));
    for (const [node, n] of day?.activeBySite ?? []) if (n > 0 && inScope(node)) at(node).active = n;
    // events_minute counts from the start of the window's first minute.
    const fromMinute = Math.floor((nowMs - WINDOW_MS[params.window]) / 60_000) * 60_000;
    for (const c of this.checkins.values()) if (c.ts >= fromMinute && inScope(c.node)) at(c.node).checkins += 1;
    const ordersFrom = nowMs - EXPIRE_AFTER_MS;
    for (const transitions of this.orders.values()) {
      // The window's transitions: venue from the lowest version, state from the highest.
      let first: Transition | null = null;
      let last: Transition | null = null;
      let entered = -Infinity;
      for (const t of transitions.values()) {
        if (t.ts < ordersFrom) continue;
        if (!first || t.version < first.version) first = t;
        if (!last || t.version > last.version) last = t;
        entered = Math.max(entered, t.ts);
      }
      if (!first || !last || CLOSED.has(last.tag) || !inScope(first.node)) continue;
      const f = at(first.node);
      f.openOrders += 1;
      const sla = SLA[last.tag] ?? 0;
      if (sla > 0 && entered < nowMs - sla) f.overdue += 1;
    }
    const appealsFrom = nowMs - APPEAL_LOOKBACK_MS;
    for (const a of this.appealsSince(appealsFrom)) {
      if (a.ts < appealsFrom || !inScope(a.node) || (this.closed.get(a.subject) ?? -Infinity) >= appealsFrom) continue;
      const f = at(a.node);
      f.openAppeals += 1;
      if (nowMs - a.ts > (DUE[a.tag] ?? 0)) f.overdue += 1;
    }
    // Sorted so an unchanged answer serializes the same and the hub does not push it again.
    return [...byId].map(([id, f]) => ({ id, ...f })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Forgets what no answer at or after `nowMs` can need, so memory follows the windows, not the history. */
  private prune(nowMs: number): void {
    if (Math.abs(nowMs - this.prunedAt) < 60_000) return;
    this.prunedAt = nowMs;
    const today = localDay(nowMs);
    for (const day of this.days.keys()) if (day < today) this.days.delete(day);
    const checkinsFrom = nowMs - CHECKIN_HORIZON_MS;
    for (const [id, c] of this.checkins) if (c.ts < checkinsFrom) this.checkins.delete(id);
    const appealsFrom = nowMs - APPEAL_LOOKBACK_MS;
    for (const day of this.received.keys()) if (day < localDay(appealsFrom)) this.received.delete(day);
    for (const [subject, ts] of this.closed) if (ts < appealsFrom) this.closed.delete(subject);
    const ordersFrom = nowMs - EXPIRE_AFTER_MS;
    for (const [order, transitions] of this.orders) {
      for (const [id, t] of transitions) if (t.ts < ordersFrom) transitions.delete(id);
      if (transitions.size === 0) this.orders.delete(order);
    }
  }

  private appealsOf(day: number): Map<string, Received> {
    let appeals = this.received.get(day);
    if (!appeals) this.received.set(day, (appeals = new Map<string, Received>()));
    return appeals;
  }

  /** Appeals received on the days from `fromMs`'s on (the caller checks the first day's times). */
  private *appealsSince(fromMs: number): Generator<Received> {
    const first = localDay(fromMs);
    for (const [day, appeals] of this.received) if (day >= first) yield* appeals.values();
  }

  private day(day: number): Day {
    let d = this.days.get(day);
    if (!d) this.days.set(day, (d = new Day()));
    return d;
  }
}
