/**
 * Every code a person can be answered with has words in both languages, so no screen falls back to
 * the server's English message (issue 14.13: the console showed "order … is at version 2, not 1").
 */
import { describe, expect, it } from 'vitest';
import en from '../../client/i18n/en.js';
import zhCN from '../../client/i18n/zh-CN.js';
import { DISPATCH_STATUS, Errors } from '../../server/errors.js';

/** Codes answered outside the registry's error classes: app.ts's error handler and a dispatch warning. */
const ANSWERED_ELSEWHERE = ['REQ_NOT_FOUND', 'REQ_INVALID', 'REQ_RATE_LIMITED', 'INTERNAL', 'VOLUNTEER_DOUBLE_BOOKED'];

const codes = [
  ...new Set([
    ...Object.values(Errors).map((E) => new E('x').code),
    ...Object.keys(DISPATCH_STATUS),
    ...ANSWERED_ELSEWHERE,
  ]),
].sort();

describe('error words', () => {
  it.each([
    ['zh-CN', zhCN.errors],
    ['en', en.errors],
  ])('%s has words for every code', (_, words) => {
    const missing = codes.filter((code) => !(code in words));
    expect(missing).toEqual([]);
    for (const code of codes) expect((words as Record<string, string>)[code]).not.toMatch(/^\s*$/);
  });

  it('the two languages name the same codes', () => {
    expect(Object.keys(en.errors).sort()).toEqual(Object.keys(zhCN.errors).sort());
  });
});
