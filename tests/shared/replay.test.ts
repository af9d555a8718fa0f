import fc from 'fast-check';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import {
  applyReplayCommand,
  clockAt,
  ended,
  followState,
  REPLAY_MAX_PERIOD_MS,
  REPLAY_SPEED,
  ReplayCode,
  ReplayCommandSchema,
  replayFromUrl,
  replayState,
  ReplayStateSchema,
  startClock,
  type ReplayClock,
  type ReplayCommand,
} from '../../shared/replay.js';

const NOW = Date.parse('2026-12-07T06:00:00+08:00');
const SAT = Date.parse('2026-11-28T00:00:00+08:00');
const HOUR = 3_600_000;

function started(from = SAT + 8 * HOUR, to = SAT + 12 * HOUR, speed = 60, now = NOW): ReplayClock {
  const r = startClock(from, to, speed, now);
  if (!r.ok) throw new Error(r.error.message);
  return r.data;
}

const command: fc.Arbitrary<ReplayCommand> = fc.oneof(
  fc.record({ op: fc.constant('pause' as const) }),
  fc.record({ op: fc.constant('play' as const) }),
  fc.record({ op: fc.constant('seek' as const), at: fc.integer({ min: SAT - HOUR, max: SAT + 30 * HOUR }) }),
  fc.record({ op: fc.constant('speed' as const), speed: fc.integer({ min: 1, max: 120 }) }),
);

describe('replay clock', () => {
  it('advances speed × wall time from the start and stops at the end', () => {
    const c = started();
    expect(clockAt(c, NOW)).toBe(SAT + 8 * HOUR);
    // Two wall minutes at 60× are two replayed hours.
    expect(clockAt(c, NOW + 120_000)).toBe(SAT + 10 * HOUR);
    expect(clockAt(c, NOW + 10 * 60_000)).toBe(SAT + 12 * HOUR);
    expect(ended(c, NOW + 10 * 60_000)).toBe(true);
    expect(ended(c, NOW + 60_000)).toBe(false);
  });

  it('pauses where it is, plays on from there, seeks within the period, changes speed without a jump', () => {
    let c: ReplayClock | null = started();
    const step = (cmd: ReplayCommand, at: number): ReplayClock => {
      const r = applyReplayCommand(c, cmd, at);
      if (!r.ok || !r.data) throw new Error(r.ok ? 'stopped' : r.error.code);
      c = r.data;
      return c;
    };
    const paused = step({ op: 'pause' }, NOW + 60_000);
    expect(clockAt(paused, NOW + 600_000)).toBe(SAT + 9 * HOUR);
    const playing = step({ op: 'play' }, NOW + 600_000);
    expect(clockAt(playing, NOW + 660_000)).toBe(SAT + 10 * HOUR);
    const sought = step({ op: 'seek', at: SAT }, NOW + 660_000);
    expect(clockAt(sought, NOW + 660_000)).toBe(SAT + 8 * HOUR);
    const faster = step({ op: 'speed', speed: 120 }, NOW + 720_000);
    expect(clockAt(faster, NOW + 720_000)).toBe(SAT + 9 * HOUR);
    expect(clockAt(faster, NOW + 750_000)).toBe(SAT + 10 * HOUR);
    const stopped = applyReplayCommand(c, { op: 'stop' }, NOW + 800_000);
    expect(stopped.ok && stopped.data).toBeNull();
  });

  it('plays from the start again once at the end', () => {
    const c = started();
    const r = applyReplayCommand(c, { op: 'play' }, NOW + HOUR);
    expect(r.ok && r.data && clockAt(r.data, NOW + HOUR)).toBe(SAT + 8 * HOUR);
  });

  it('clamps the period to the past and to a month, the speed to 1×–120×; refuses an empty period', () => {
    const c = started(NOW - 90 * 86_400_000, NOW + HOUR, 500);
    expect(c.to).toBe(NOW);
    expect(c.to - c.from).toBe(REPLAY_MAX_PERIOD_MS);
    expect(c.speed).toBe(REPLAY_SPEED.max);
    expect(started(SAT, SAT + HOUR, 0).speed).toBe(REPLAY_SPEED.min);
    const future = startClock(NOW + HOUR, NOW + 2 * HOUR, 60, NOW);
    expect(future.ok || future.error.code).toBe(ReplayCode.badPeriod);
    const empty = startClock(SAT, SAT, 60, NOW);
    expect(empty.ok || empty.error.code).toBe(ReplayCode.badPeriod);
  });

  it('refuses a command with no replay running', () => {
    const r = applyReplayCommand(null, { op: 'pause' }, NOW);
    expect(r.ok || r.error.code).toBe(ReplayCode.notStarted);
  });

  it('never leaves its period and never runs backwards, whatever commands come (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: SAT - 40 * 86_400_000, max: NOW }),
        fc.integer({ min: 1, max: 60 * 86_400_000 }),
        fc.integer({ min: -5, max: 500 }),
        fc.array(fc.tuple(command, fc.integer({ min: 0, max: 600_000 })), { maxLength: 20 }),
        (from, length, speed, steps) => {
          const s = startClock(from, from + length, speed, NOW);
          if (!s.ok) return;
          let c = s.data;
          let wall = NOW;
          for (const [cmd, gap] of steps) {
            const before = clockAt(c, wall + gap);
            wall += gap;
            const r = applyReplayCommand(c, cmd, wall);
            expect(r.ok).toBe(true);
            if (!r.ok || !r.data) return;
            // A command other than seek or play-at-the-end does not move the clock.
            if (cmd.op === 'pause' || cmd.op === 'speed') expect(clockAt(r.data, wall)).toBe(before);
            c = r.data;
            const at = clockAt(c, wall);
            expect(at).toBeGreaterThanOrEqual(c.from);
            expect(at).toBeLessThanOrEqual(c.to);
            expect(c.to).toBeLessThanOrEqual(NOW);
            expect(c.to - c.from).toBeLessThanOrEqual(REPLAY_MAX_PERIOD_MS);
            expect(c.speed).toBeGreaterThanOrEqual(REPLAY_SPEED.min);
            expect(c.speed).toBeLessThanOrEqual(REPLAY_SPEED.max);
            expect(clockAt(c, wall + 1000)).toBeGreaterThanOrEqual(at);
          }
        },
      ),
    );
  });
});

describe('a replay followed as a state (the meeting tablet’s)', () => {
  it('plays on from where the tablet stood, on the wall’s own clock, paused as it was', () => {
    const tablet = started();
    const state = replayState(tablet, NOW + 60_000);
    expect(Compile(ReplayStateSchema).Check(state)).toBe(true);
    const wall = followState(state, NOW + 60_200);
    if (!wall.ok) throw new Error(wall.error.code);
    expect(clockAt(wall.data, NOW + 60_200)).toBe(SAT + 9 * HOUR);
    expect(clockAt(wall.data, NOW + 61_200)).toBe(SAT + 9 * HOUR + 60_000);
    const paused = followState({ ...state, paused: true }, NOW + 90_000);
    expect(paused.ok && clockAt(paused.data, NOW + 500_000)).toBe(SAT + 9 * HOUR);
  });

  it('keeps the bounds of a start: never past now, the position inside the period', () => {
    const ahead = followState({ from: NOW - HOUR, to: NOW + HOUR, speed: 60, paused: false, at: NOW + HOUR }, NOW);
    expect(ahead.ok && ahead.data.to).toBe(NOW);
    expect(ahead.ok && clockAt(ahead.data, NOW)).toBe(NOW);
    const future = followState({ from: NOW + HOUR, to: NOW + 2 * HOUR, speed: 60, paused: false, at: NOW + HOUR }, NOW);
    expect(future.ok || future.error.code).toBe(ReplayCode.badPeriod);
  });
});

describe('replay commands on the wire', () => {
  const check = Compile(ReplayCommandSchema);
  it('takes the six commands and nothing else', () => {
    expect(check.Check({ op: 'start', from: SAT, to: SAT + HOUR, speed: 60 })).toBe(true);
    expect(check.Check({ op: 'seek', at: SAT })).toBe(true);
    expect(check.Check({ op: 'stop' })).toBe(true);
    expect(check.Check({ op: 'start', from: SAT, to: SAT + HOUR, speed: 121 })).toBe(false);
    expect(check.Check({ op: 'speed', speed: 0 })).toBe(false);
    expect(check.Check({ op: 'pause', extra: 1 })).toBe(false);
    expect(check.Check({ op: 'rewind' })).toBe(false);
  });
});

describe('the kiosk URL', () => {
  it('reads a day, a span of minutes in the county clock, and the speed', () => {
    expect(replayFromUrl('?replay=2026-11-28&speed=120')).toEqual({
      op: 'start',
      from: SAT,
      to: SAT + 24 * HOUR,
      speed: 120,
    });
    expect(replayFromUrl('?replay=2026-11-28T08:00..2026-11-28T12:30')).toEqual({
      op: 'start',
      from: SAT + 8 * HOUR,
      to: SAT + 12.5 * HOUR,
      speed: REPLAY_SPEED.default,
    });
    expect(replayFromUrl('?replay=2026-11-28&speed=9999')?.speed).toBe(120);
  });

  it('answers null without a replay or with something that is not a time', () => {
    expect(replayFromUrl('?dashboard=leadership')).toBeNull();
    expect(replayFromUrl('?replay=yesterday')).toBeNull();
    expect(replayFromUrl('?replay=2026-11-28T08:00..soon')).toBeNull();
    expect(replayFromUrl('?replay=2026-11-28T08:00')).toBeNull();
  });
});
