/**
 * The meeting tablet's pure rules: what a group's row says, the view a take starts from and how each
 * tap changes it, which panels of a dashboard have a window to switch, the sites a search finds,
 * and the 回放 state a picked period starts. No I/O, so they are tested without a browser.
 */
import type { Dashboard } from '../../shared/dashboard';
import type { GroupHold, MeetingHeat, MeetingView } from '../../shared/meeting';
import type { NetworkNode } from '../../shared/network';
import {
  applyReplayCommand,
  followState,
  REPLAY_SPEED,
  replayFromUrl,
  replayState,
  startClock,
  type ReplayCommand,
  type ReplayState,
} from '../../shared/replay';
import { fail, type Result } from '../../shared/result';

/** A group's row on the tablet: free, held by this tablet, by another controller, or by one whose tablet is away. */
export type GroupStatus = 'free' | 'mine' | 'held' | 'away';

export function groupStatus(hold: GroupHold, me: string): GroupStatus {
  if (!hold.holder) return 'free';
  if (hold.holder.id === me) return 'mine';
  return hold.lostAt === null ? 'held' : 'away';
}

/** What a take proposes: the dashboard first offered, the district, nothing open, each wall's own switches, live. */
export const startView = (dashboard: string): MeetingView => ({
  dashboard,
  scope: null,
  card: null,
  windows: {},
  heat: null,
  replay: null,
});

/** Another dashboard: its panels are others, so their switches start again; scope, card, heat and replay stay. */
export const withDashboard = (view: MeetingView, dashboard: string): MeetingView =>
  view.dashboard === dashboard ? view : { ...view, dashboard, windows: {} };

/** A drill: a card open on a node outside the new scope would close on the wall, so it closes here too. */
export function withScope(
  view: MeetingView,
  scope: string | null,
  nodes: ReadonlyMap<string, NetworkNode>,
): MeetingView {
  const card = view.card !== null && scope !== null && !within(nodes, view.card, scope) ? null : view.card;
  return { ...view, scope, card };
}

/** Whether `id` is `scope` or below it. */
export function within(nodes: ReadonlyMap<string, NetworkNode>, id: string, scope: string): boolean {
  for (
    let node = nodes.get(id), i = 0;
    node && i < 8;
    node = node.parentId ? nodes.get(node.parentId) : undefined, i += 1
  )
    if (node.id === scope) return true;
  return false;
}

export const withWindow = (view: MeetingView, panel: string, choice: string): MeetingView => ({
  ...view,
  windows: { ...view.windows, [panel]: choice },
});

export const withHeat = (view: MeetingView, heat: MeetingHeat | null): MeetingView => ({ ...view, heat });

/** A panel with a switch the tablet can set: a trend's windows, a ranking's periods. */
export interface Switchable {
  panel: string;
  title: Dashboard['panels'][number]['title'];
  choices: readonly string[];
  /** Which words name its choices: a trend's windows, a ranking's periods. */
  kind: 'window' | 'period';
}

export function switchables(dashboard: Dashboard | null | undefined): Switchable[] {
  return (dashboard?.panels ?? []).flatMap((p): Switchable[] => {
    if (p.type === 'trend' && (p.options?.windows?.length ?? 0) > 1)
      return [{ panel: p.id, title: p.title, choices: p.options?.windows ?? [], kind: 'window' }];
    if (p.type === 'ranking' && (p.options?.periods?.length ?? 0) > 1)
      return [{ panel: p.id, title: p.title, choices: p.options?.periods ?? [], kind: 'period' }];
    return [];
  });
}

/** Whether the dashboard draws the map (its card and heat can be driven). */
export const hasMap = (dashboard: Dashboard | null | undefined): boolean =>
  (dashboard?.panels ?? []).some((p) => p.type === 'map' || p.type === 'heat');

/** The sites one level under `scope` (null: the district's towns), in network order. */
export function childrenOf(nodes: readonly NetworkNode[], scope: string | null): NetworkNode[] {
  if (scope === null) return nodes.filter((n) => n.level === 'institute');
  return nodes.filter((n) => n.parentId === scope);
}

/** Sites whose name holds every word of `text` (or whose id is it), towns first, at most `limit`. */
export function searchNodes(nodes: readonly NetworkNode[], text: string, limit = 30): NetworkNode[] {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const rank = { center: 0, institute: 1, station: 2, point: 3 } as const;
  return nodes
    .filter((n) => n.level !== 'center')
    .filter(
      (n) => n.id.toLowerCase() === text.trim().toLowerCase() || words.every((w) => n.name.toLowerCase().includes(w)),
    )
    .sort((a, b) => rank[a.level] - rank[b.level])
    .slice(0, limit);
}

/** Speeds offered as one tap each. */
export const SPEEDS = [1, 10, 30, 60, 120] as const;
export const DEFAULT_SPEED = REPLAY_SPEED.default;

/**
 * The 回放 state for a day and a span of the county's clock (`2026-11-28`, `08:00`, `12:00`) at a
 * speed, playing from its start: the same parsing as a kiosk URL's period, the same clamps as the
 * wall's clock (never past now, at most a month).
 */
export function replayFor(date: string, from: string, to: string, speed: number, now: number): Result<ReplayState> {
  const asked = replayFromUrl(`?replay=${date}T${from}..${date}T${to}&speed=${speed}`);
  if (!asked) return fail('REPLAY_BAD_PERIOD', `no period ${date} ${from}–${to}`);
  const clock = startClock(asked.from, asked.to, asked.speed, now);
  return clock.ok ? { ok: true, data: replayState(clock.data, now) } : clock;
}

/**
 * A pause or a play of the group's replay: the state the walls were sent at `sentAt`, moved by the
 * same rules as the wall's clock, as it stands at `now`.
 */
export function replayMoved(
  state: ReplayState,
  sentAt: number,
  command: Extract<ReplayCommand, { op: 'pause' | 'play' }>,
  now: number,
): Result<ReplayState> {
  const clock = followState(state, sentAt);
  if (!clock.ok) return clock;
  const moved = applyReplayCommand(clock.data, command, now);
  if (!moved.ok) return moved;
  return moved.data ? { ok: true, data: replayState(moved.data, now) } : fail('REPLAY_NOT_STARTED', 'stopped');
}
