/**
 * A date and time typed into an admin filter, in the app's locale's pattern — never the browser's:
 * a native `datetime-local` shows and takes whatever the browser's own locale says (mm/dd/yyyy,
 * 12-hour, on an en-US browser showing the Chinese console), which no page can change. date-fns
 * parses and writes the pattern (a real date, 24-hour, nothing left over; a leading zero may be
 * left out), in the reader's time zone, as the table's times are shown.
 */
import { format, isValid, parse } from 'date-fns';
import type { Locale } from '../i18n';

/**
 * Per app locale: the pattern shown and suggested first, then the others also taken — with seconds,
 * the date alone, and the table's own (useAdminText's `time`), so a time copied from a row works.
 */
const PATTERNS: Record<Locale, readonly [string, ...string[]]> = {
  'zh-CN': ['yyyy-MM-dd HH:mm', 'yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd', 'yyyy/M/d HH:mm:ss'],
  en: ['MM/dd/yyyy HH:mm', 'MM/dd/yyyy HH:mm:ss', 'MM/dd/yyyy', 'M/d/yy, HH:mm:ss'],
};

/** The pattern a field of this locale shows, e.g. `yyyy-MM-dd HH:mm`. */
export const dateTimePattern = (locale: Locale): string => PATTERNS[locale][0];

/** The instant `text` writes in one of the locale's patterns, or null when it is none of them. */
export function parseDateTime(text: string, locale: Locale): Date | null {
  const typed = text.trim();
  // A reference date only fills fields a pattern leaves out (the date-only one: midnight).
  const reference = new Date(2000, 0, 1, 0, 0, 0, 0);
  for (const pattern of PATTERNS[locale]) {
    const at = parse(typed, pattern, reference);
    if (isValid(at)) return at;
  }
  return null;
}

/** `at` written in the locale's shown pattern. */
export const formatDateTime = (at: Date, locale: Locale): string => format(at, dateTimePattern(locale));
