/**
 * The audit filters' dates (client/admin/dateTimeInput.ts) are written in the app's locale's
 * pattern whatever the browser's: zh-CN takes `yyyy-MM-dd HH:mm`, en `MM/dd/yyyy HH:mm`, each also
 * with seconds, as a date alone, or as the audit table shows a time, and nothing else — not the
 * other locale's, not a date that does not exist. Times are the reader's (the process's zone here).
 */
import { describe, expect, it } from 'vitest';
import { dateTimePattern, formatDateTime, parseDateTime } from '../../client/admin/dateTimeInput.js';

const AT = new Date(2031, 0, 2, 10, 5);
/** A time as the audit table shows it (client/admin/useAdminText.ts `time`). */
const asInTable = (at: Date, locale: string) =>
  at.toLocaleString(locale, { hour12: false, dateStyle: 'short', timeStyle: 'medium' });

describe('zh-CN', () => {
  it('takes and shows yyyy-MM-dd HH:mm', () => {
    expect(dateTimePattern('zh-CN')).toBe('yyyy-MM-dd HH:mm');
    expect(parseDateTime('2031-01-02 10:05', 'zh-CN')).toEqual(AT);
    expect(parseDateTime(' 2031-01-02 10:05:30 ', 'zh-CN')).toEqual(new Date(2031, 0, 2, 10, 5, 30));
    expect(parseDateTime('2031-01-02', 'zh-CN')).toEqual(new Date(2031, 0, 2));
    // A leading zero left out is still the one date it can mean.
    expect(parseDateTime('2031-1-2 10:05', 'zh-CN')).toEqual(AT);
    expect(formatDateTime(AT, 'zh-CN')).toBe('2031-01-02 10:05');
    const row = new Date(2031, 0, 2, 10, 5, 30);
    expect(parseDateTime(asInTable(row, 'zh-CN'), 'zh-CN')).toEqual(row);
  });

  it('refuses the browser’s mm/dd/yyyy, a 12-hour time, and dates that do not exist', () => {
    for (const text of [
      '01/02/2031 10:05',
      '01/02/2031, 10:05 AM',
      '2031-02-30 10:00',
      '2031-01-02 24:00',
      '2031-01-02T10:05',
      '2031-01-02 10:05 extra',
      'yesterday',
      '',
    ])
      expect(parseDateTime(text, 'zh-CN'), text).toBeNull();
  });
});

describe('en', () => {
  it('takes and shows MM/dd/yyyy HH:mm, and not the Chinese pattern', () => {
    expect(dateTimePattern('en')).toBe('MM/dd/yyyy HH:mm');
    expect(parseDateTime('01/02/2031 10:05', 'en')).toEqual(AT);
    expect(parseDateTime('01/02/2031', 'en')).toEqual(new Date(2031, 0, 2));
    expect(formatDateTime(AT, 'en')).toBe('01/02/2031 10:05');
    const row = new Date(2031, 0, 2, 10, 5, 30);
    expect(parseDateTime(asInTable(row, 'en'), 'en')).toEqual(row);
    expect(parseDateTime('2031-01-02 10:05', 'en')).toBeNull();
    expect(parseDateTime('13/02/2031 10:05', 'en')).toBeNull();
  });
});
