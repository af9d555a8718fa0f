/**
 * Meeting control's service: an act (take, takeover, command, release, a tablet lost, the grace run
 * out) is decided by the pure state machine (shared/meeting.ts) on the group's stored hold and
 * stored by compare-and-set (holds.ts), retried on a concurrent change; what changed goes to the
 * audit and to `publish` (the walls' room and the tablets). Timeouts are found by a sweep every node
 * runs: any node may expire a hold, and the compare-and-set lets exactly one of them do it.
 */
import {
  decide,
  MEETING_GRACE_MS,
  type GroupHold,
  type MeetingAct,
  type MeetingChange,
  type MeetingTransition,
} from '../../shared/meeting.js';
import { fail, ok, type Result } from '../../shared/result.js';
import type { AuditEntry } from '../auth/audit.js';
import { AuditAction } from '../auth/audit.js';
import type { HoldStore } from './holds.js';

export interface MeetingDeps {
  holds: HoldStore;
  graceMs?: number;
  audit: (entry: AuditEntry) => void;
  /** A change to tell the walls and the tablets. */
  publish: (t: MeetingTransition) => void;
  now?: () => number;
}

/** How often a concurrent change may make an act decide again (each retry saw a newer hold). */
const MAX_TRIES = 8;

const AUDITED: Partial<Record<MeetingChange, AuditAction>> = {
  take: AuditAction.meetingTake,
  takeover: AuditAction.meetingTakeover,
  release: AuditAction.meetingRelease,
  timeout: AuditAction.meetingTimeout,
};

export class MeetingService {
  readonly graceMs: number;
  private readonly now: () => number;

  constructor(private readonly deps: MeetingDeps) {
    this.graceMs = deps.graceMs ?? MEETING_GRACE_MS;
    this.now = deps.now ?? Date.now;
  }

  read(group: string): Promise<GroupHold> {
    return this.deps.holds.read(group).then((s) => s.hold);
  }

  list(): Promise<GroupHold[]> {
    return this.deps.holds.list();
  }

  /** Decides and stores `act` on `group`; answers the group's hold after it, or the refusal. */
  async act(group: string, act: MeetingAct, ip?: string): Promise<Result<GroupHold>> {
    for (let i = 0; i < MAX_TRIES; i += 1) {
      const { raw, hold } = await this.deps.holds.read(group);
      const decided = decide(hold, act, this.now(), this.graceMs);
      if (!decided.ok) return decided;
      const t = decided.data;
      // A lost tablet's hold carries an expiry a little past the grace: a backstop if every node's sweep is gone.
      const expireMs = t.hold.lostAt === null ? null : this.graceMs * 2;
      if (!(await this.deps.holds.swap(group, raw, t.hold, expireMs))) continue;
      this.record(t, act, ip);
      this.deps.publish(t);
      return ok(t.hold);
    }
    return fail('MEETING_GROUP_HELD', `group ${group} kept changing; try again`);
  }

  /** Expires every hold whose tablet has been away longer than the grace; answers how many. */
  async sweep(): Promise<number> {
    const now = this.now();
    let expired = 0;
    for (const hold of await this.deps.holds.list()) {
      if (hold.lostAt === null || now - hold.lostAt < this.graceMs) continue;
      if ((await this.act(hold.group, { type: 'expire' })).ok) expired += 1;
    }
    return expired;
  }

  private record(t: MeetingTransition, act: MeetingAct, ip?: string): void {
    const action = AUDITED[t.change];
    if (!action) return;
    const actor = 'by' in act ? act.by.user : (t.ended?.user ?? 'system');
    const subject =
      t.change === 'takeover' && t.ended ? `${t.hold.group} from ${t.ended.user} (${t.ended.role})` : t.hold.group;
    this.deps.audit({ action, actor, result: 'ok', subject, ...(ip ? { ip } : {}) });
  }
}
