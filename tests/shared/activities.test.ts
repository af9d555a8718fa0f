import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ActivityCode,
  applyStep,
  CHECKIN_EARLY_MS,
  decideCheckin,
  decideCheckout,
  decideScan,
  decideSignup,
  decideWithdraw,
  inCheckinWindow,
  NEAR_M,
  nearness,
  SCAN_MAX_AGE_MS,
  scanTime,
  serviceHours,
  type Activity,
  type Participation,
} from '../../shared/activities.js';

const HOUR = 3_600_000;
const T0 = 1_790_000_000_000;
const activity = (over: Partial<Activity> = {}): Activity => ({
  id: 'PA-test01',
  title: '义诊送健康',
  category: 'health',
  nodeId: 'S001',
  instituteId: 'I01',
  startsAt: T0,
  endsAt: T0 + 2 * HOUR,
  capacity: 3,
  brandId: 'B001',
  status: 'published',
  ...over,
});
const empty = (): Map<string, Participation> => new Map();
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);

describe('sign-up', () => {
  it('takes a place until the activity is full, then refuses with ACTIVITY_FULL', () => {
    const a = activity({ capacity: 2 });
    let roster = empty();
    for (const v of ['V1', 'V2']) {
      expect(decideSignup(a, roster, v, T0 - HOUR)).toEqual({ ok: true, data: 'signed' });
      roster = applyStep(roster, { kind: 'signup', volunteerId: v, at: T0 - HOUR });
    }
    expect(code(decideSignup(a, roster, 'V3', T0 - HOUR))).toBe(ActivityCode.full);
  });

  it('is idempotent: signing up twice holds one place, also when full', () => {
    const a = activity({ capacity: 1 });
    const roster = applyStep(empty(), { kind: 'signup', volunteerId: 'V1', at: T0 - HOUR });
    expect(decideSignup(a, roster, 'V1', T0 - HOUR)).toEqual({ ok: true, data: 'already' });
    expect(applyStep(roster, { kind: 'signup', volunteerId: 'V1', at: T0 }).size).toBe(1);
  });

  it('refuses a cancelled or finished activity', () => {
    expect(code(decideSignup(activity({ status: 'cancelled' }), empty(), 'V1', T0))).toBe(ActivityCode.cancelled);
    expect(code(decideSignup(activity(), empty(), 'V1', T0 + 2 * HOUR))).toBe(ActivityCode.ended);
  });

  it('withdrawing frees the place, is idempotent, and is refused after checking in', () => {
    let roster = applyStep(empty(), { kind: 'signup', volunteerId: 'V1', at: T0 - HOUR });
    expect(decideWithdraw(roster, 'V2')).toEqual({ ok: true, data: 'none' });
    expect(decideWithdraw(roster, 'V1')).toEqual({ ok: true, data: 'withdrawn' });
    roster = applyStep(roster, { kind: 'checkin', volunteerId: 'V1', eventId: 'e1', at: T0 });
    expect(code(decideWithdraw(roster, 'V1'))).toBe(ActivityCode.checkedIn);
  });
});

describe('check-in and check-out', () => {
  const signed = applyStep(empty(), { kind: 'signup', volunteerId: 'V1', at: T0 - HOUR });

  it('checks in only when signed up and within the window (from 30 minutes before the start)', () => {
    const a = activity();
    expect(code(decideCheckin(a, undefined, T0))).toBe(ActivityCode.notSignedUp);
    expect(code(decideCheckin(a, signed.get('V1'), T0 - CHECKIN_EARLY_MS - 1))).toBe(ActivityCode.outsideWindow);
    expect(decideCheckin(a, signed.get('V1'), T0 - CHECKIN_EARLY_MS)).toEqual({ ok: true, data: 'checkin' });
    expect(code(decideCheckin(a, signed.get('V1'), a.endsAt))).toBe(ActivityCode.outsideWindow);
    expect(code(decideCheckin(activity({ status: 'cancelled' }), signed.get('V1'), T0))).toBe(ActivityCode.cancelled);
  });

  it('checks out only after checking in, crediting the time inside the window', () => {
    const a = activity();
    expect(code(decideCheckout(a, signed.get('V1'), T0 + HOUR))).toBe(ActivityCode.notCheckedIn);
    const inside = applyStep(signed, { kind: 'checkin', volunteerId: 'V1', eventId: 'e1', at: T0 - 20 * 60_000 });
    expect(decideCheckout(a, inside.get('V1'), T0 + 90 * 60_000)).toEqual({
      ok: true,
      data: { kind: 'checkout', hours: 1.5 },
    });
    // Forgot to check out: the hours stop at the end.
    expect(decideCheckout(a, inside.get('V1'), T0 + 9 * HOUR)).toEqual({
      ok: true,
      data: { kind: 'checkout', hours: 2 },
    });
  });

  it('reads a scan at a node: check-in on the activity of the moment, check-out of the open one', () => {
    const a = activity();
    const b = activity({ id: 'PA-test02', startsAt: T0 + 5 * HOUR, endsAt: T0 + 6 * HOUR });
    const rosterB = applyStep(empty(), { kind: 'signup', volunteerId: 'V1', at: T0 });
    const atNode = [
      { activity: a, mine: signed.get('V1') },
      { activity: b, mine: rosterB.get('V1') },
    ];
    const first = decideScan(atNode, 'checkin', T0 + 5 * HOUR);
    expect(first.ok && first.data.activity.id).toBe('PA-test02');
    expect(code(decideScan(atNode, 'checkin', T0 + 3 * HOUR))).toBe(ActivityCode.outsideWindow);
    expect(code(decideScan([{ activity: a, mine: undefined }], 'checkin', T0))).toBe(ActivityCode.notSignedUp);
    expect(code(decideScan(atNode, 'checkout', T0))).toBe(ActivityCode.notCheckedIn);
    const inA = applyStep(signed, { kind: 'checkin', volunteerId: 'V1', eventId: 'e1', at: T0 });
    const again = decideScan([{ activity: a, mine: inA.get('V1') }], 'checkin', T0 + HOUR);
    expect(again.ok && again.data.outcome).toBe('already');
    const out = decideScan([{ activity: a, mine: inA.get('V1') }], 'checkout', T0 + HOUR);
    expect(out.ok && out.data).toMatchObject({ outcome: 'checkout', hours: 1 });
  });
});

describe('properties', () => {
  const volunteer = fc.constantFrom('V1', 'V2', 'V3', 'V4', 'V5', 'V6');
  const op = fc.oneof(
    fc.record({ kind: fc.constant('signup' as const), v: volunteer }),
    fc.record({ kind: fc.constant('withdraw' as const), v: volunteer }),
    fc.record({
      kind: fc.constant('checkin' as const),
      v: volunteer,
      at: fc.integer({ min: -3 * HOUR, max: 4 * HOUR }),
    }),
    fc.record({
      kind: fc.constant('checkout' as const),
      v: volunteer,
      at: fc.integer({ min: -3 * HOUR, max: 8 * HOUR }),
    }),
  );

  it('capacity is never exceeded, check-ins are of signed-up volunteers in the window, check-outs follow check-ins', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 60 }), (capacity, ops) => {
        const a = activity({ capacity });
        let roster = empty();
        for (const [i, o] of ops.entries()) {
          const before = roster.get(o.v);
          if (o.kind === 'signup') {
            const d = decideSignup(a, roster, o.v, T0 - HOUR);
            if (d.ok && d.data === 'signed')
              roster = applyStep(roster, { kind: 'signup', volunteerId: o.v, at: T0 - HOUR });
          } else if (o.kind === 'withdraw') {
            const d = decideWithdraw(roster, o.v);
            if (d.ok && d.data === 'withdrawn') roster = applyStep(roster, { kind: 'withdraw', volunteerId: o.v });
          } else if (o.kind === 'checkin') {
            const d = decideCheckin(a, before, T0 + o.at);
            if (d.ok && d.data === 'checkin')
              roster = applyStep(roster, { kind: 'checkin', volunteerId: o.v, eventId: `e${i}`, at: T0 + o.at });
            if (d.ok) expect(before).toBeDefined();
          } else {
            const d = decideCheckout(a, before, T0 + o.at);
            if (d.ok && d.data.kind === 'checkout')
              roster = applyStep(roster, {
                kind: 'checkout',
                volunteerId: o.v,
                eventId: `e${i}`,
                at: T0 + o.at,
                hours: d.data.hours,
              });
            if (d.ok) expect(before?.checkin).toBeTruthy();
          }
          expect(roster.size).toBeLessThanOrEqual(capacity);
          for (const p of roster.values()) {
            if (p.checkin) expect(inCheckinWindow(a, p.checkin.at)).toBe(true);
            if (p.checkout) expect(p.checkin && p.checkout.at >= p.checkin.at).toBe(true);
          }
        }
      }),
    );
  });

  it('hours = check-out − check-in, bounded by the window, never negative', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -5 * HOUR, max: 10 * HOUR }),
        fc.integer({ min: 0, max: 12 * HOUR }),
        fc.integer({ min: 1, max: 8 * HOUR }),
        (inAt, stay, length) => {
          const a = activity({ endsAt: T0 + length });
          const hours = serviceHours(a, T0 + inAt, T0 + inAt + stay);
          expect(hours).toBeGreaterThanOrEqual(0);
          expect(hours).toBeLessThanOrEqual(stay / HOUR);
          expect(hours).toBeLessThanOrEqual(length / HOUR);
          const exact = (Math.min(T0 + inAt + stay, a.endsAt) - Math.max(T0 + inAt, a.startsAt)) / HOUR;
          expect(hours).toBeCloseTo(Math.max(0, exact), 1);
        },
      ),
    );
  });
});

describe('where and when a scan counts', () => {
  const node = { lat: 30.5, lon: 104.0 };
  it('is near within 500 m (haversine) and says nothing without a position', () => {
    // 0.0044° of latitude ≈ 489 m; 0.0046° ≈ 512 m.
    expect(nearness({ lat: 30.5044, lon: 104.0 }, node)).toMatchObject({ near: true });
    expect(nearness({ lat: 30.5046, lon: 104.0 }, node)).toMatchObject({ near: false });
    expect(nearness(null, node)).toBeNull();
    const d = nearness({ lat: 30.5, lon: 104.01 }, node);
    expect(d?.distanceM).toBeGreaterThan(NEAR_M + 400);
    expect(d?.distanceM).toBeLessThan(NEAR_M + 500);
  });

  it('takes the phone’s time of the scan, refusing one kept longer than a day', () => {
    const now = T0;
    expect(scanTime(now - HOUR, now)).toEqual({ ok: true, data: now - HOUR });
    expect(scanTime(now + 60_000, now)).toEqual({ ok: true, data: now });
    expect(code(scanTime(now - SCAN_MAX_AGE_MS - 1, now))).toBe(ActivityCode.scanTooOld);
  });
});
