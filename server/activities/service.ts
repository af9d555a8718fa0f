/**
 * Activities: organisers publish and cancel, volunteers sign up, withdraw and scan in and out. Every
 * change runs in one queue, so two sign-ups for the last place cannot both win; the store is written
 * before the change is answered, and check-ins and check-outs go through ingest like any event, so
 * the wall's tiles, feed and heat move with them.
 */
import { randomBytes } from 'node:crypto';
import {
  ActivityCode,
  ActivityStatus,
  decideScan,
  decideSignup,
  decideWithdraw,
  nearness,
  scanTime,
} from '../../shared/activities.js';
import type { ActivityPublish, ScanBody, ScanResult } from '../../shared/activity-api.js';
import type { PracticeEvent } from '../../shared/events.js';
import type { IngestResult } from '../../shared/events.js';
import type { NetworkNode } from '../../shared/network.js';
import { Errors, refusal } from '../errors.js';
import { saveActivity, saveSignup, type ActivityRecord } from '../store/activity-repository.js';
import type { Transport } from '../store/transport.js';
import { ActivityBoard } from './board.js';

/** Who acts: an organiser (publishes) or a volunteer (signs up, scans); the principal's id and name. */
export interface Person {
  id: string;
  name: string;
}

/** What changed, for the console, the wall's feed and the volunteers signed up. */
export type ActivityChange =
  | { kind: 'published' | 'cancelled'; activity: ActivityRecord; volunteerIds: string[] }
  | { kind: 'signup' | 'withdraw' | 'checkin' | 'checkout'; activity: ActivityRecord; volunteer: Person };

export interface ActivityDeps {
  store: Transport;
  nodes: ReadonlyMap<string, NetworkNode>;
  /** Ingest's submit: the check-in and check-out events go the way every event goes. */
  submit: (events: PracticeEvent[]) => Promise<IngestResult>;
  now?: () => number;
}

export class ActivityService {
  readonly board = new ActivityBoard();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(change: ActivityChange) => void>();
  private lastVersion = 0;
  private readonly now: () => number;

  constructor(private readonly deps: ActivityDeps) {
    this.now = deps.now ?? Date.now;
  }

  load(): Promise<void> {
    return this.board.load(this.deps.store, this.now());
  }

  subscribe(listener: (change: ActivityChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Publishes at a 站 or 点 the organiser may act on (checked by the caller: `instituteOf`). */
  publish(organiser: Person, body: ActivityPublish, brands: ReadonlySet<string>): Promise<ActivityRecord> {
    return this.serial(async () => {
      const node = this.deps.nodes.get(body.nodeId);
      if (!node || (node.level !== 'station' && node.level !== 'point') || !node.instituteId)
        throw refusal(ActivityCode.unknownPlace, `${body.nodeId} is not a station or a point`);
      if (body.endsAt <= body.startsAt) throw refusal(ActivityCode.invalid, 'the end must come after the start');
      if (body.endsAt <= this.now()) throw refusal(ActivityCode.invalid, 'the activity would be over already');
      if (body.brandId !== '' && !brands.has(body.brandId)) throw refusal(ActivityCode.unknownBrand, body.brandId);
      const activity: ActivityRecord = {
        id: `PA-${Date.now().toString(36)}${randomBytes(4).toString('hex')}`,
        ...body,
        instituteId: node.instituteId,
        status: ActivityStatus.published,
        createdBy: organiser.id,
        version: this.version(),
      };
      await saveActivity(this.deps.store, activity);
      this.board.put(activity);
      this.emit({ kind: 'published', activity, volunteerIds: [] });
      return activity;
    });
  }

  cancel(id: string): Promise<ActivityRecord> {
    return this.serial(async () => {
      const current = this.get(id);
      if (current.status === ActivityStatus.cancelled) return current;
      const activity = { ...current, status: ActivityStatus.cancelled, version: this.version() };
      await saveActivity(this.deps.store, activity);
      this.board.put(activity);
      this.emit({ kind: 'cancelled', activity, volunteerIds: [...this.board.roster(id).keys()] });
      return activity;
    });
  }

  signup(volunteer: Person, id: string): Promise<ActivityRecord> {
    return this.serial(async () => {
      const activity = this.get(id);
      const decided = decideSignup(activity, this.board.roster(id), volunteer.id, this.now());
      if (!decided.ok) throw refusal(decided.error.code, decided.error.message);
      if (decided.data === 'already') return activity;
      const at = this.now();
      await saveSignup(this.deps.store, {
        activityId: id,
        volunteerId: volunteer.id,
        volunteerName: volunteer.name,
        signedUpAt: at,
        withdrawn: false,
        version: this.version(),
      });
      this.board.step(id, { kind: 'signup', volunteerId: volunteer.id, at });
      this.emit({ kind: 'signup', activity, volunteer });
      return activity;
    });
  }

  withdraw(volunteer: Person, id: string): Promise<ActivityRecord> {
    return this.serial(async () => {
      const activity = this.get(id);
      const decided = decideWithdraw(this.board.roster(id), volunteer.id);
      if (!decided.ok) throw refusal(decided.error.code, decided.error.message);
      if (decided.data === 'none') return activity;
      await saveSignup(this.deps.store, {
        activityId: id,
        volunteerId: volunteer.id,
        volunteerName: volunteer.name,
        signedUpAt: this.now(),
        withdrawn: true,
        version: this.version(),
      });
      this.board.step(id, { kind: 'withdraw', volunteerId: volunteer.id });
      this.emit({ kind: 'withdraw', activity, volunteer });
      return activity;
    });
  }

  /**
   * A scan of a node's code. A scan sent again (the phone's queue after a lost answer) names the
   * same event id and is answered with what it did the first time; nothing is recorded twice.
   */
  scan(volunteer: Person, body: ScanBody): Promise<ScanResult> {
    return this.serial(async () => {
      const node = this.deps.nodes.get(body.nodeId);
      if (!node) throw refusal(ActivityCode.unknownPlace, `no node ${body.nodeId}`);
      const place = nearness(body.position, node);
      const seen = this.board.byEventId(body.id.toLowerCase());
      if (seen)
        return this.result(body.id.toLowerCase(), 'already', seen.activityId, seen.mine.checkout?.hours ?? 0, place);
      const at = scanTime(body.at, this.now());
      if (!at.ok) throw refusal(at.error.code, at.error.message);
      const atNode = [...this.board.activities.values()]
        .filter((a) => a.nodeId === body.nodeId)
        .map((activity) => ({ activity, mine: this.board.roster(activity.id).get(volunteer.id) }));
      const decided = decideScan(atNode, body.action, at.data);
      if (!decided.ok) throw refusal(decided.error.code, decided.error.message);
      const { activity, mine, outcome, hours } = decided.data;
      if (outcome === 'already') {
        const earlier = body.action === 'checkout' ? mine.checkout : mine.checkin;
        return this.result(earlier?.eventId ?? body.id, 'already', activity.id, hours, place);
      }
      const eventId = body.id.toLowerCase();
      const base = {
        id: eventId,
        nodeId: node.id,
        ts: at.data,
        volunteerId: volunteer.id,
        activityId: activity.id,
        volunteerName: volunteer.name.slice(0, 32),
      };
      // The roster moves first so the feed line ingest makes counts this check-in; undone if ingest refuses.
      const before = this.board.roster(activity.id);
      if (outcome === 'checkin')
        this.board.step(activity.id, { kind: 'checkin', volunteerId: volunteer.id, eventId, at: at.data });
      else this.board.step(activity.id, { kind: 'checkout', volunteerId: volunteer.id, eventId, at: at.data, hours });
      const event: PracticeEvent =
        outcome === 'checkin'
          ? { ...base, type: 'checkin', ...(place ? { near: place.near } : {}) }
          : { ...base, type: 'checkout', hours };
      const answer = await this.deps.submit([event]).catch((error: unknown) => {
        this.board.restore(activity.id, before);
        throw error;
      });
      const item = answer.items[0];
      if (item?.status === 'rejected') {
        this.board.restore(activity.id, before);
        throw new Errors.VALIDATION(item.reason ?? 'the event was refused');
      }
      this.emit({ kind: outcome, activity, volunteer });
      return this.result(eventId, outcome, activity.id, hours, place);
    });
  }

  get(id: string): ActivityRecord {
    const activity = this.board.activities.get(id);
    if (!activity) throw refusal(ActivityCode.notFound, `no activity ${id}`);
    return activity;
  }

  /** Runs changes one at a time; a refused one does not stop the next. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private result(
    eventId: string,
    outcome: ScanResult['outcome'],
    activityId: string,
    hours: number,
    place: { distanceM: number; near: boolean } | null,
  ): ScanResult {
    const activity = this.get(activityId);
    return {
      eventId,
      outcome,
      activityId,
      title: activity.title,
      hours,
      near: place?.near ?? null,
      distanceM: place ? Math.round(place.distanceM) : null,
      checkedIn: this.board.counts(activityId).checkedIn,
      capacity: activity.capacity,
    };
  }

  /** Versions only grow, also for two changes in one millisecond (ReplacingMergeTree keeps the highest). */
  private version(): number {
    this.lastVersion = Math.max(this.lastVersion + 1, this.now());
    return this.lastVersion;
  }

  private emit(change: ActivityChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
