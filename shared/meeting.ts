/**
 * Meeting control (联席会议): a leader's tablet holds a group of walls (主屏, 左屏, 右屏 …) and
 * every wall of the group shows what the tablet picks. Pure, after orders.ts: `decide` checks an act
 * against a group's hold and answers the next hold with the kind of change (what the audit records),
 * or a refusal with a stable code. No I/O and no schemas (the wall imports it; the wire's schemas are
 * in meeting-schemas.ts): the server stores the hold (server/meeting/), times the disconnect grace
 * and fans the view out to the walls.
 */
import type { RefusalCode } from './codes.js';
import type { ReplayState } from './replay.js';
import { fail, ok, type Result } from './result.js';

/** Who may drive walls: a person at the meeting, never a wall, device or dispatcher. */
export const CONTROL_ROLES = ['leader', 'admin'] as const;
export type ControlRole = (typeof CONTROL_ROLES)[number];

/** One tablet in one person's hands: the same person on a second tablet is a second controller. */
export interface Controller {
  /** `<username>/<tablet id>`: a reconnecting tablet resumes by it. */
  id: string;
  user: string;
  name: string;
  role: ControlRole;
}

/** The heat layer's switches on the map (shared/queries/heat.ts's parameters). */
export interface MeetingHeat {
  window: '1h' | '6h' | '24h';
  source: 'all' | 'appeals' | 'orders';
  category: 'all' | 'consult' | 'complaint' | 'suggestion';
}

/** What every wall of a driven group shows: the state a local click on the wall would set. */
export interface MeetingView {
  dashboard: string;
  /** The node watched (a town, station or point); null for the screen's own scope. */
  scope: string | null;
  /** The node whose card is open on the map; null for none. */
  card: string | null;
  /** A panel's switch (trend window, ranking period) by panel id; absent panels keep their own. */
  windows: Record<string, string>;
  /** The map's heat switches; null keeps each wall's own. */
  heat: MeetingHeat | null;
  /** 回放 on every wall of the group (shared/replay.ts); absent or null: live. */
  replay?: ReplayState | null;
}

/** A group's control now. A free group is stored as nothing (meeting's `freeHold`). */
export interface GroupHold {
  group: string;
  holder: Controller | null;
  view: MeetingView | null;
  /** One more on every change while held (a freed group starts again from nothing). */
  version: number;
  /** Epoch ms the holder took the group; 0 when free. */
  since: number;
  /** Epoch ms the holder's tablet went away; null while it is connected (or the group is free). */
  lostAt: number | null;
}

export type MeetingAct =
  | { type: 'take'; by: Controller; view: MeetingView }
  /** After the confirmation: `from` names the holder the tablet was shown, so nobody else is taken over unseen. */
  | { type: 'takeover'; by: Controller; from: string; view: MeetingView }
  | { type: 'command'; by: Controller; view: MeetingView }
  | { type: 'release'; by: Controller }
  /** The holder's tablet disconnected: the grace starts. */
  | { type: 'lost'; by: Controller }
  /** The grace timer fired. */
  | { type: 'expire' };
export type MeetingActType = MeetingAct['type'];

/** What a change was, for the audit and the tablets' notices. */
export const MeetingChange = {
  take: 'take',
  /** The holder's own tablet came back within the grace (or took again): no audit of its own. */
  resume: 'resume',
  takeover: 'takeover',
  command: 'command',
  release: 'release',
  lost: 'lost',
  timeout: 'timeout',
} as const;
export type MeetingChange = (typeof MeetingChange)[keyof typeof MeetingChange];

export interface MeetingTransition {
  change: MeetingChange;
  hold: GroupHold;
  /** Whose control ended (a takeover's or a timeout's previous holder); null when nobody's. */
  ended: Controller | null;
}

export const MeetingCode = {
  /** Held by another controller: the tablet shows who and offers a takeover. */
  held: 'MEETING_GROUP_HELD',
  notHolder: 'MEETING_NOT_HOLDER',
  /** The grace has not run out (or the holder is connected): nothing expires. */
  notExpired: 'MEETING_NOT_EXPIRED',
  unknownGroup: 'MEETING_UNKNOWN_GROUP',
} as const satisfies Record<string, RefusalCode>;
export type MeetingCode = (typeof MeetingCode)[keyof typeof MeetingCode];

/** The controller's tablet may be away this long (a dropped Wi-Fi, a reload) before the walls go back. */
export const MEETING_GRACE_MS = 2 * 60_000;

export const freeHold = (group: string): GroupHold => ({
  group,
  holder: null,
  view: null,
  version: 0,
  since: 0,
  lostAt: null,
});

const held = (h: GroupHold, c: Controller) => h.holder !== null && h.holder.id === c.id;
const heldMessage = (h: GroupHold) =>
  h.holder ? `group ${h.group} is held by ${h.holder.role} ${h.holder.name}` : `group ${h.group} is free`;

/**
 * Checks `act` against `hold` at `now` and answers the next hold. Refusals: taking a group another
 * controller holds (a takeover names whom it saw), acting on a group one does not hold, expiring a
 * hold whose tablet is connected or whose grace has not run out.
 */
export function decide(
  hold: GroupHold,
  act: MeetingAct,
  now: number,
  graceMs = MEETING_GRACE_MS,
): Result<MeetingTransition> {
  const next = (patch: Partial<GroupHold>): GroupHold => ({ ...hold, ...patch, version: hold.version + 1 });
  const free = (): GroupHold => ({ ...freeHold(hold.group), version: hold.version + 1 });
  switch (act.type) {
    case 'take':
      if (hold.holder === null)
        return ok({
          change: 'take',
          hold: next({ holder: act.by, view: act.view, since: now, lostAt: null }),
          ended: null,
        });
      if (held(hold, act.by))
        return ok({ change: 'resume', hold: next({ holder: act.by, lostAt: null }), ended: null });
      return fail(MeetingCode.held, heldMessage(hold));
    case 'takeover':
      if (hold.holder === null)
        return ok({
          change: 'take',
          hold: next({ holder: act.by, view: act.view, since: now, lostAt: null }),
          ended: null,
        });
      if (held(hold, act.by))
        return ok({ change: 'resume', hold: next({ holder: act.by, lostAt: null }), ended: null });
      if (hold.holder.id !== act.from) return fail(MeetingCode.held, heldMessage(hold));
      return ok({
        change: 'takeover',
        // The walls keep what they show: the new controller goes on from there.
        hold: next({ holder: act.by, view: hold.view ?? act.view, since: now, lostAt: null }),
        ended: hold.holder,
      });
    case 'command':
      if (!held(hold, act.by)) return fail(MeetingCode.notHolder, `${act.by.id} does not hold ${hold.group}`);
      return ok({ change: 'command', hold: next({ view: act.view }), ended: null });
    case 'release':
      if (!held(hold, act.by)) return fail(MeetingCode.notHolder, `${act.by.id} does not hold ${hold.group}`);
      return ok({ change: 'release', hold: free(), ended: hold.holder });
    case 'lost':
      if (!held(hold, act.by)) return fail(MeetingCode.notHolder, `${act.by.id} does not hold ${hold.group}`);
      return ok({ change: 'lost', hold: next({ lostAt: hold.lostAt ?? now }), ended: null });
    case 'expire':
      if (hold.holder === null || hold.lostAt === null || now - hold.lostAt < graceMs)
        return fail(MeetingCode.notExpired, `${hold.group}: nothing to expire`);
      return ok({ change: 'timeout', hold: free(), ended: hold.holder });
  }
}

/** What a wall of the group is told: the view, and who drives it by role only (never a name on a wall). */
export interface WallMeeting {
  group: string;
  version: number;
  driven: { role: ControlRole } | null;
  view: MeetingView | null;
}

export const wallMeeting = (hold: GroupHold): WallMeeting => ({
  group: hold.group,
  version: hold.version,
  driven: hold.holder ? { role: hold.holder.role } : null,
  view: hold.holder ? hold.view : null,
});
