/**
 * Live figures ClickHouse cannot answer in time at scale, kept in the server from what it reads of
 * the store once at start (store/live-figures-repository.ts) and every event accepted since (its
 * own and its peers', and the write-ahead log's tail replayed at start). Over 100 M events the
 * four statements of `nodes.status` took 60–95 ms (volunteers on duty per site over today's 110 k
 * check-ins and check-outs, a week's appeals against those closed, open orders, check-ins per site)
 * and the KPI's two distinct counts (on duty, today's activities) half of its 57 ms; here each is
 * arithmetic over a few maps. The articles (live/articles.ts) are kept here too, for the media
 * panels' joins, fed by the same events. Check-ins per site are counted per window as they arrive
 * (live/checkin-windows.ts), and each held appeal points at its closing (live/open-appeals.ts):
 * walking the last day's check-ins and looking up each of the week's appeals grew with the store. (appeals.categories' 30 days, 248 k appeals there, stayed in SQL: a
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
import type { QueryParams } from '../../shared/queries/index.js';
import type { NodeStatus } from '../../shared/queries/nodes-status.js';
import { WINDOW_MS } from '../../shared/queries/window.js';
import { localDay } from '../../shared/time-zone.js';
import {
  APPEAL_LOOKBACK_MS,
  type FigureRow,
  type LiveFiguresRead,
  type PresenceRow,
} from '../store/live-figures-repository.js';
import type { ScopeNodes } from '../store/scope-sql.js';
import { Articles } from './articles.js';
import { CheckinWindows } from './checkin-windows.js';
import { OpenAppeals } from './open-appeals.js';

/** The longest check-in window nodes.status offers. */
const CHECKIN_HORIZON_MS = WINDOW_MS['24h'] + 60_000;

const CLOSED = new Set<string>(CLOSED_STATES);
const SLA: Readonly<Record<string, number>> = ORDER_SLA_MS;

interface Presence {
  in: number;
  out: number;
}
/** On the same millisecond the check-out wins, as in the KPI's SQL. */
const onDuty = (p: Presence): boolean => p.in > p.out;

/**
 * Raises a volunteer's latest check-in and check-out in `map` to at least these times: answers how
 * their being on duty changed (+1, 0, -1).
 */
function raise(map: Map<string, Presence>, volunteer: string, checkedIn: number, checkedOut: number): number {
  const p = map.get(volunteer);
  if (!p) {
    map.set(volunteer, { in: checkedIn, out: checkedOut });
    return Number(checkedIn > checkedOut);
  }
  const was = onDuty(p);
  if (checkedIn > p.in) p.in = checkedIn;
  if (checkedOut > p.out) p.out = checkedOut;
  return Number(onDuty(p)) - Number(was);
}

/** One civil day's presence: per site and volunteer, per volunteer (the district), and activities. */
class Day {
  readonly bySite = new Map<string, Map<string, Presence>>();
  readonly activeBySite = new Map<string, number>();
  readonly byVolunteer = new Map<string, Presence>();
  activeDistrict = 0;
  readonly activities = new Map<string, Set<string>>();
  readonly allActivities = new Set<string>();

  /**
   * Presences are changed in place rather than replaced: a new object per check-in (two, with the
   * district's) was a large part of this function's cost in the ingest bench's profile, and every
   * reader (`today`, `nodeStatus`) reads them without keeping them.
   */
  presence(node: string, volunteer: string, checkedIn: number, checkedOut: number): void {
    let site = this.bySite.get(node);
    if (!site) this.bySite.set(node, (site = new Map<string, Presence>()));
    const delta = raise(site, volunteer, checkedIn, checkedOut);
    if (delta !== 0) this.activeBySite.set(node, (this.activeBySite.get(node) ?? 0) + delta);
    this.activeDistrict += raise(this.byVolunteer, volunteer, checkedIn, checkedOut);
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

type Figures = Omit<NodeStatus, 'id'>;

export class LiveFigures {
  private readonly days = new Map<number, Day>();
  /** Check-ins of the last day, counted per site for each window as they arrive. */
  private readonly checkins = new CheckinWindows();
  /** The week's appeals received, each pointing at its id's latest closing. */
  private readonly appeals = new OpenAppeals();
  /** The `nowMs` of the last pruning: memory is trimmed once a minute, not on every answer. */
  private prunedAt = -Infinity;
  /** Per order id, its transitions by event id. */
  private readonly orders = new Map<string, Map<string, Transition>>();
  /** Every article, for the media panels' joins (live/articles.ts). */
  readonly articles = new Articles();

  /** One event row, from the store or the write-ahead log. */
  apply(r: FigureRow): void {
    switch (r.type) {
      case EventType.checkin:
        return this.checkin(r.id, r.node_id, r.volunteer_id, r.subject_id, r.ts);
      case EventType.checkout:
        return this.day(localDay(r.ts)).presence(r.node_id, r.volunteer_id, 0, r.ts);
      case EventType.appealReceived:
        return this.appealReceived(r.id, r.subject_id, r.node_id, r.tag, r.ts);
      case EventType.appealClosed:
        return this.appealClosed(r.subject_id, r.ts);
      case EventType.order:
        return this.transition(r.subject_id, r.id, r.node_id, r.tag, r.version, r.ts);
      case EventType.mediaPublished:
        return this.articles.publish(r.subject_id, r.actor ?? '', r.tag, r.title ?? '', r.node_id, r.ts);
    }
  }

  /**
   * Accepted events, read from their own fields with the columns `toRow` puts them in (subject_id
   * is the activity, appeal or order; tag the appeal's category or the order's new state): making
   * each a row first was a third of this path's cost in the ingest bench's profile. The test
   * (figures.int.test.ts) checks events accepted here against the SQL over the rows stored.
   */
  accept(events: readonly PracticeEvent[]): void {
    for (const e of events) {
      switch (e.type) {
        case EventType.checkin:
          this.checkin(e.id, e.nodeId, e.volunteerId, e.activityId, e.ts);
          break;
        case EventType.checkout:
          this.day(localDay(e.ts)).presence(e.nodeId, e.volunteerId, 0, e.ts);
          break;
        case EventType.appealReceived:
          this.appealReceived(e.id, e.appealId, e.nodeId, e.category, e.ts);
          break;
        case EventType.appealClosed:
          this.appealClosed(e.appealId, e.ts);
          break;
        case EventType.order:
          this.transition(e.orderId, e.id, e.nodeId, e.to, e.version, e.ts);
          break;
        case EventType.mediaPublished:
          this.articles.publish(e.articleId, e.brandId ?? '', e.activityId ?? '', e.title, e.nodeId, e.ts);
          break;
        case EventType.volunteerStatus:
        case EventType.appealAssigned:
        case EventType.appealReplied:
        case EventType.mediaRead:
          break;
      }
    }
  }

  private checkin(id: string, node: string, volunteer: string, activity: string, ts: number): void {
    const day = this.day(localDay(ts));
    day.presence(node, volunteer, ts, 0);
    day.activity(node, activity);
    this.checkins.add(id, node, ts);
  }

  private appealReceived(id: string, subject: string, node: string, tag: string, ts: number): void {
    this.appeals.received(id, subject, node, tag, ts);
  }

  private appealClosed(subject: string, ts: number): void {
    this.appeals.closed(subject, ts);
  }

  private transition(orderId: string, id: string, node: string, tag: string, version: number, ts: number): void {
    let order = this.orders.get(orderId);
    if (!order) this.orders.set(orderId, (order = new Map<string, Transition>()));
    order.set(id, { node, tag, version, ts });
  }

  /** The start's read of the store (store/live-figures-repository.ts), merged like any other rows. */
  load(read: LiveFiguresRead): void {
    for (const r of read.presence) this.presenceRow(r);
    for (const a of read.activities) this.day(a.day).activity(a.node_id, a.activity);
    for (const r of read.rows) this.apply(r);
    for (const r of read.closings) this.appeals.closed(r.subject_id, r.closed_at);
    this.articles.load(read.articles);
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
    for (const [node, n] of this.checkins.from(WINDOW_MS[params.window], fromMinute))
      if (inScope(node)) at(node).checkins = n;
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
    this.appeals.count(nowMs, appealsFrom, inScope, (node, open, overdue) => {
      const f = at(node);
      f.openAppeals += open;
      f.overdue += overdue;
    });
    // Sorted so an unchanged answer serializes the same and the hub does not push it again.
    return [...byId].map(([id, f]) => ({ id, ...f })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Forgets what no answer at or after `nowMs` can need, so memory follows the windows, not the history. */
  private prune(nowMs: number): void {
    if (Math.abs(nowMs - this.prunedAt) < 60_000) return;
    this.prunedAt = nowMs;
    const today = localDay(nowMs);
    for (const day of this.days.keys()) if (day < today) this.days.delete(day);
    this.checkins.prune(nowMs - CHECKIN_HORIZON_MS);
    const appealsFrom = nowMs - APPEAL_LOOKBACK_MS;
    this.appeals.prune(appealsFrom);
    const ordersFrom = nowMs - EXPIRE_AFTER_MS;
    for (const [order, transitions] of this.orders) {
      for (const [id, t] of transitions) if (t.ts < ordersFrom) transitions.delete(id);
      if (transitions.size === 0) this.orders.delete(order);
    }
  }

  private day(day: number): Day {
    let d = this.days.get(day);
    if (!d) this.days.set(day, (d = new Day()));
    return d;
  }
}
