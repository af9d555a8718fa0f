import { describe, expect, it } from 'vitest';
import { SMS_CODE_TRIES, SMS_CODE_TTL_MS, SMS_RESEND_MS, SmsCodes } from '../../../server/volunteers/sms.js';

const PHONE = '13912345678';
function clocked(): { codes: SmsCodes; advance: (ms: number) => void } {
  let now = 1_000_000;
  return { codes: new SmsCodes(() => now), advance: (ms) => (now += ms) };
}
const other = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('SMS login codes', () => {
  it('accepts the code once, six digits', () => {
    const { codes } = clocked();
    const code = codes.issue(PHONE) ?? '';
    expect(code).toMatch(/^\d{6}$/);
    expect(codes.check('13900000000', code)).toBe(false);
    expect(codes.check(PHONE, code)).toBe(true);
    expect(codes.check(PHONE, code)).toBe(false);
  });

  it('forgets a code after 5 minutes', () => {
    const { codes, advance } = clocked();
    const code = codes.issue(PHONE) ?? '';
    advance(SMS_CODE_TTL_MS);
    expect(codes.check(PHONE, code)).toBe(false);
  });

  it('drops the code after 5 wrong tries, so the sixth guess finds nothing even when right', () => {
    const { codes } = clocked();
    const code = codes.issue(PHONE) ?? '';
    for (let i = 0; i < SMS_CODE_TRIES; i++) expect(codes.check(PHONE, other(code))).toBe(false);
    expect(codes.check(PHONE, code)).toBe(false);
  });

  it('issues no new code within a minute, and replaces the old one after', () => {
    const { codes, advance } = clocked();
    const first = codes.issue(PHONE) ?? '';
    expect(codes.issue(PHONE)).toBeNull();
    advance(SMS_RESEND_MS);
    const second = codes.issue(PHONE) ?? '';
    if (second !== first) expect(codes.check(PHONE, first)).toBe(false);
    expect(codes.check(PHONE, second)).toBe(true);
  });
});
