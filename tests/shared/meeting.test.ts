import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decide,
  freeHold,
  MeetingCode,
  wallMeeting,
  type Controller,
  type GroupHold,
  type MeetingAct,
  type MeetingView,
} from '../../shared/meeting.js';

const T0 = 1_790_000_000_000;
const GRACE = 120_000;
const A: Controller = { id: 'wang/tab-a', user: 'wang', name: '王主任', role: 'leader' };
const B: Controller = { id: 'li/tab-b', user: 'li', name: '李局长', role: 'leader' };
const A2: Controller = { ...A, id: 'wang/tab-c' };
const ADMIN: Controller = { id: 'admin/tab-d', user: 'admin', name: '管理员', role: 'admin' };
const VIEW: MeetingView = { dashboard: 'command-center', scope: null, card: null, windows: {}, heat: null };
const DRILLED: MeetingView = { ...VIEW, scope: 'I03', card: 'S026', windows: { trend: '24h' } };

/** Applies acts in turn at T0 + i seconds; answers the last hold and every result. */
function run(acts: MeetingAct[], hold = freeHold('主屏'), step = 1000) {
  const results = [];
  for (const [i, act] of acts.entries()) {
    const r = decide(hold, act, T0 + (i + 1) * step, GRACE);
    results.push(r);
    if (r.ok) hold = r.data.hold;
  }
  return { hold, results };
}

describe('decide', () => {
  it('takes a free group, drives it and releases it', () => {
    const { hold, results } = run([
      { type: 'take', by: A, view: VIEW },
      { type: 'command', by: A, view: DRILLED },
      { type: 'release', by: A },
    ]);
    expect(results.map((r) => r.ok && r.data.change)).toEqual(['take', 'command', 'release']);
    expect(hold).toMatchObject({ holder: null, view: null, lostAt: null, version: 3 });
  });

  it('tells a second controller who holds the group, and a takeover must name that holder', () => {
    const { hold } = run([{ type: 'take', by: A, view: VIEW }]);
    const second = decide(hold, { type: 'take', by: B, view: VIEW }, T0, GRACE);
    expect(second).toMatchObject({ ok: false, error: { code: MeetingCode.held } });
    if (!second.ok) expect(second.error.message).toContain('leader 王主任');
    // The same person on another tablet is another controller.
    expect(decide(hold, { type: 'take', by: A2, view: VIEW }, T0, GRACE)).toMatchObject({ ok: false });
    expect(decide(hold, { type: 'takeover', by: B, from: ADMIN.id, view: VIEW }, T0, GRACE)).toMatchObject({
      ok: false,
      error: { code: MeetingCode.held },
    });
    const over = decide(hold, { type: 'takeover', by: B, from: A.id, view: VIEW }, T0, GRACE);
    expect(over).toMatchObject({ ok: true, data: { change: 'takeover', ended: A, hold: { holder: B } } });
  });

  it('keeps what the walls show across a takeover', () => {
    const { hold } = run([
      { type: 'take', by: A, view: VIEW },
      { type: 'command', by: A, view: DRILLED },
      { type: 'takeover', by: B, from: A.id, view: VIEW },
    ]);
    expect(hold.view).toEqual(DRILLED);
  });

  it('lets the lost tablet resume within the grace and times it out after', () => {
    const lost = run([
      { type: 'take', by: A, view: VIEW },
      { type: 'lost', by: A },
    ]).hold;
    expect(lost.lostAt).toBe(T0 + 2000);
    expect(decide(lost, { type: 'expire' }, T0 + 2000 + GRACE - 1, GRACE)).toMatchObject({
      ok: false,
      error: { code: MeetingCode.notExpired },
    });
    expect(decide(lost, { type: 'take', by: A, view: DRILLED }, T0 + 3000, GRACE)).toMatchObject({
      ok: true,
      data: { change: 'resume', hold: { lostAt: null, view: VIEW } },
    });
    expect(decide(lost, { type: 'expire' }, T0 + 2000 + GRACE, GRACE)).toMatchObject({
      ok: true,
      data: { change: 'timeout', ended: A, hold: { holder: null } },
    });
  });

  it('shows a wall the role that drives it, never the name', () => {
    const { hold } = run([{ type: 'take', by: A, view: DRILLED }]);
    expect(wallMeeting(hold)).toEqual({ group: '主屏', version: 1, driven: { role: 'leader' }, view: DRILLED });
    expect(JSON.stringify(wallMeeting(hold))).not.toContain('王');
    expect(wallMeeting(freeHold('主屏'))).toMatchObject({ driven: null, view: null });
  });
});

const controller = fc.constantFrom(A, A2, B, ADMIN);
const view = fc.constantFrom(VIEW, DRILLED);
const act: fc.Arbitrary<MeetingAct> = fc.oneof(
  fc.record({ type: fc.constant('take' as const), by: controller, view }),
  fc.record({
    type: fc.constant('takeover' as const),
    by: controller,
    from: fc.constantFrom(A.id, A2.id, B.id, ADMIN.id),
    view,
  }),
  fc.record({ type: fc.constant('command' as const), by: controller, view }),
  fc.record({ type: fc.constant('release' as const), by: controller }),
  fc.record({ type: fc.constant('lost' as const), by: controller }),
  fc.constant({ type: 'expire' as const }),
);
/** Acts with the time between them: seconds, or past the grace. */
const steps = fc.array(fc.tuple(act, fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.constant(GRACE + 1))), {
  maxLength: 60,
});

describe('decide, for any sequence of acts', () => {
  it('has at most one holder; a free group shows nothing; every accepted act adds one version', () => {
    fc.assert(
      fc.property(steps, (list) => {
        let hold: GroupHold = freeHold('主屏');
        let now = T0;
        for (const [a, dt] of list) {
          now += dt;
          const r = decide(hold, a, now, GRACE);
          if (!r.ok) continue;
          expect(r.data.hold.version).toBe(hold.version + 1);
          hold = r.data.hold;
          if (hold.holder === null) expect([hold.view, hold.lostAt]).toEqual([null, null]);
          else expect(hold.view).not.toBeNull();
        }
      }),
    );
  });

  it('refuses a command, a release or a lost tablet from anyone but the holder', () => {
    fc.assert(
      fc.property(steps, controller, view, (list, by, v) => {
        const { hold } = run(list.map(([a]) => a));
        for (const a of [
          { type: 'command', by, view: v },
          { type: 'release', by },
          { type: 'lost', by },
        ] as MeetingAct[]) {
          const r = decide(hold, a, T0, GRACE);
          expect(r.ok).toBe(hold.holder?.id === by.id);
          if (!r.ok) expect(r.error.code).toBe(MeetingCode.notHolder);
        }
      }),
    );
  });

  it('changes the holder only by a take of a free group, a takeover naming the holder, a release or a timeout', () => {
    fc.assert(
      fc.property(steps, (list) => {
        let hold: GroupHold = freeHold('主屏');
        let now = T0;
        for (const [a, dt] of list) {
          now += dt;
          const r = decide(hold, a, now, GRACE);
          if (r.ok && r.data.hold.holder?.id !== hold.holder?.id) {
            const before = hold.holder;
            if (before === null) expect(['take', 'takeover']).toContain(a.type);
            else if (r.data.hold.holder === null) expect(['release', 'expire']).toContain(a.type);
            else expect(a).toMatchObject({ type: 'takeover', from: before.id });
            if (a.type === 'expire') expect(now - (hold.lostAt ?? now)).toBeGreaterThanOrEqual(GRACE);
          }
          if (r.ok) hold = r.data.hold;
        }
      }),
    );
  });
});
