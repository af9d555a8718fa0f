import { afterEach, describe, expect, it } from 'vitest';
import { formatDate, formatMinute, formatTime, formatWeekday, setCountyTimeZone } from '../../client/format.js';
import { DEFAULT_TIME_ZONE } from '../../shared/time-zone.js';

// 2026-12-06T19:34:05Z is 2026-12-07 03:34:05 in the county (UTC+8): a screen whose own system
// clock is on UTC must still show the county's day and time beside the county's "today" figures.
const EVENING_UTC = Date.UTC(2026, 11, 6, 19, 34, 5);

describe('county clock', () => {
  afterEach(() => setCountyTimeZone(DEFAULT_TIME_ZONE));

  it('shows the county time and date whatever the process zone is', () => {
    expect(formatTime(EVENING_UTC)).toBe('03:34:05');
    expect(formatMinute(EVENING_UTC)).toBe('03:34');
    expect(formatDate(EVENING_UTC)).toBe('2026-12-07');
    expect(formatWeekday(EVENING_UTC, 'zh-CN')).toBe('星期一');
  });

  it('midnight is 00, not 24', () => {
    expect(formatTime(Date.UTC(2026, 11, 6, 16, 0, 0))).toBe('00:00:00');
  });

  it('follows the zone the network file names', () => {
    setCountyTimeZone('UTC');
    expect(formatTime(EVENING_UTC)).toBe('19:34:05');
    expect(formatDate(EVENING_UTC)).toBe('2026-12-06');
    setCountyTimeZone('Asia/Urumqi');
    expect(formatTime(EVENING_UTC)).toBe('01:34:05');
  });
});
