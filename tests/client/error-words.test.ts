/**
 * Every code a person can be answered with has words in both languages, so no screen falls back to
 * the server's English message (issue 14.13: the console showed "order … is at version 2, not 1").
 */
import { describe, expect, it } from 'vitest';
import en from '../../client/i18n/en.js';
import zhCN from '../../client/i18n/zh-CN.js';
import { CODES } from '../../shared/codes.js';
import { Errors } from '../../server/errors.js';

/** Every code of the registry a person can be shown: all but the per-event ingest rejections. */
const codes = (Object.keys(CODES) as (keyof typeof CODES)[]).filter((code) => CODES[code] !== 'event').sort();

describe('error words', () => {
  it.each([
    ['zh-CN', zhCN.errors],
    ['en', en.errors],
  ])('%s has words for every code', (_, words) => {
    const missing = codes.filter((code) => !(code in words));
    expect(missing).toEqual([]);
    for (const code of codes) expect((words as Record<string, string>)[code]).not.toMatch(/^\s*$/);
  });

  it('the registry holds every code the error classes of the server answer with', () => {
    for (const E of Object.values(Errors)) expect(codes).toContain(new E('x').code);
  });

  it('the two languages name the same codes', () => {
    expect(Object.keys(en.errors).sort()).toEqual(Object.keys(zhCN.errors).sort());
  });
});
