/**
 * 回放: a past period shown again on a wall at 1× to 120×. The clock is pure — where the replay
 * stands at a given wall time, and how a command (start, pause, play, seek, speed, stop) moves it —
 * so the wall, the meeting tablet and the tests run the same rules. The wall asks the server for
 * the county as it was at the clock's time (`replay:read`, shared/live.ts); nothing here does I/O.
 */
import { Type, type Static } from 'typebox';
import type { RefusalCode } from './codes.js';
import { fail, ok, type Result } from './result.js';
import { UTC_OFFSET } from './time-zone.js';

/** 1× is real time; 120× shows a 志愿服务日's busy hours (08:00–12:00) in two minutes. */
export const REPLAY_SPEED = { min: 1, max: 120, default: 60 } as const;
/**
 * The longest period one replay covers: a month at 120× is six hours on the wall, more than any
 * meeting; it also bounds how far a seek can send the store's reads.
 */
export const REPLAY_MAX_PERIOD_MS = 31 * 86_400_000;

export const ReplayOp = {
  start: 'start',
  pause: 'pause',
  play: 'play',
  seek: 'seek',
  speed: 'speed',
  /** Back to live: the wall takes a fresh snapshot. */
  stop: 'stop',
} as const;
export type ReplayOp = (typeof ReplayOp)[keyof typeof ReplayOp];

export const ReplayCode = {
  /** The period is empty, or lies wholly in the future. */
  badPeriod: 'REPLAY_BAD_PERIOD',
  /** A pause, play, seek or speed with no replay running. */
  notStarted: 'REPLAY_NOT_STARTED',
} as const satisfies Record<string, RefusalCode>;
export type ReplayCode = (typeof ReplayCode)[keyof typeof ReplayCode];

const Ms = Type.Integer({ minimum: 0, maximum: 8_640_000_000_000 });
const Speed = Type.Integer({ minimum: REPLAY_SPEED.min, maximum: REPLAY_SPEED.max });
const closed = { additionalProperties: false } as const;

/** A command to a replaying wall, from its kiosk URL or the meeting tablet. Times are epoch ms. */
export const ReplayCommandSchema = Type.Union([
  Type.Object({ op: Type.Literal(ReplayOp.start), from: Ms, to: Ms, speed: Speed }, closed),
  Type.Object({ op: Type.Literal(ReplayOp.pause) }, closed),
  Type.Object({ op: Type.Literal(ReplayOp.play) }, closed),
  Type.Object({ op: Type.Literal(ReplayOp.seek), at: Ms }, closed),
  Type.Object({ op: Type.Literal(ReplayOp.speed), speed: Speed }, closed),
  Type.Object({ op: Type.Literal(ReplayOp.stop) }, closed),
]);
export type ReplayCommand = Static<typeof ReplayCommandSchema>;

/**
 * A running replay: at wall time `since` the replay stood at `base`; it advances `speed` ms per
 * wall ms unless paused, and stops at `to`.
 */
export interface ReplayClock {
  readonly from: number;
  readonly to: number;
  readonly speed: number;
  readonly paused: boolean;
  readonly base: number;
  readonly since: number;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const clampSpeed = (s: number): number => clamp(Math.round(s), REPLAY_SPEED.min, REPLAY_SPEED.max);

/** The replay's time at wall time `wallNow`, within [from, to]. */
export function clockAt(clock: ReplayClock, wallNow: number): number {
  if (clock.paused) return clock.base;
  return clamp(clock.base + Math.max(0, wallNow - clock.since) * clock.speed, clock.from, clock.to);
}

/** The replay reached the end of its period (it stays there, showing the last minute, until stopped). */
export const ended = (clock: ReplayClock, wallNow: number): boolean => clockAt(clock, wallNow) >= clock.to;

/**
 * A new clock for a period, clamped: never past `now` (the future has not happened), at most
 * REPLAY_MAX_PERIOD_MS long (the end kept, the start moved), the speed within 1×–120×.
 */
export function startClock(from: number, to: number, speed: number, now: number): Result<ReplayClock> {
  const end = Math.min(to, now);
  const start = Math.max(from, end - REPLAY_MAX_PERIOD_MS);
  if (!(start < end)) return fail(ReplayCode.badPeriod, `nothing to replay between ${from} and ${Math.min(to, now)}`);
  return ok({ from: start, to: end, speed: clampSpeed(speed), paused: false, base: start, since: now });
}

/**
 * Applies a command to the clock (null: not replaying). Answers the clock after it, null once
 * stopped, or the refusal. `now` is the wall's clock; the server's "now" bounds a start.
 */
export function applyReplayCommand(
  clock: ReplayClock | null,
  command: ReplayCommand,
  now: number,
): Result<ReplayClock | null> {
  if (command.op === ReplayOp.start) return startClock(command.from, command.to, command.speed, now);
  if (command.op === ReplayOp.stop) return ok(null);
  if (!clock) return fail(ReplayCode.notStarted, `cannot ${command.op}: no replay is running`);
  const at = clockAt(clock, now);
  switch (command.op) {
    case ReplayOp.pause:
      return ok({ ...clock, paused: true, base: at, since: now });
    case ReplayOp.play:
      // Playing at the end starts the period again, as a player does.
      return ok({ ...clock, paused: false, base: at >= clock.to ? clock.from : at, since: now });
    case ReplayOp.seek:
      return ok({ ...clock, base: clamp(command.at, clock.from, clock.to), since: now });
    case ReplayOp.speed:
      return ok({ ...clock, speed: clampSpeed(command.speed), base: at, since: now });
  }
}

/**
 * A replay as a state to follow (the meeting tablet's view holds one for its group's walls): the
 * period, the speed, paused or not, and where it stood when last changed. A wall that receives it
 * plays on from `at` on its own clock; null is live.
 */
export const ReplayStateSchema = Type.Object(
  { from: Ms, to: Ms, speed: Speed, paused: Type.Boolean(), at: Ms },
  closed,
);
export type ReplayState = Static<typeof ReplayStateSchema>;

/** The state of a clock at wall time `now` (what a tablet sends when it changes the replay). */
export const replayState = (clock: ReplayClock, now: number): ReplayState => ({
  from: clock.from,
  to: clock.to,
  speed: clock.speed,
  paused: clock.paused,
  at: clockAt(clock, now),
});

/** A clock that follows a received state from wall time `now`, within its bounds as startClock keeps them. */
export function followState(state: ReplayState, now: number): Result<ReplayClock> {
  const started = startClock(state.from, state.to, state.speed, now);
  if (!started.ok) return started;
  const c = started.data;
  return ok({ ...c, paused: state.paused, base: clamp(state.at, c.from, c.to), since: now });
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MINUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** A time of the kiosk URL in the county's clock: `2026-11-28` (its midnight) or `2026-11-28T09:42`. */
function parseLocal(text: string): number | null {
  const iso = DAY.test(text) ? `${text}T00:00:00${UTC_OFFSET}` : MINUTE.test(text) ? `${text}:00${UTC_OFFSET}` : null;
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * The start command a kiosk URL asks for: `?replay=2026-11-28` (that whole day),
 * `?replay=2026-11-28T08:00..2026-11-28T12:00`, with `&speed=60` (default 60×); null when the URL
 * asks for no replay or names times that are not times.
 */
export function replayFromUrl(search: string): Extract<ReplayCommand, { op: 'start' }> | null {
  const q = new URLSearchParams(search);
  const period = q.get('replay');
  if (!period) return null;
  const [a = '', b] = period.split('..');
  const from = parseLocal(a);
  const to = b === undefined ? (DAY.test(a) && from !== null ? from + 86_400_000 : null) : parseLocal(b);
  if (from === null || to === null) return null;
  const asked = Number(q.get('speed') ?? REPLAY_SPEED.default);
  const speed = Number.isFinite(asked) ? clampSpeed(asked) : REPLAY_SPEED.default;
  return { op: ReplayOp.start, from, to, speed };
}
