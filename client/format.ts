/** Display formatting shared by tiles, feed, header and charts. */
import { DEFAULT_TIME_ZONE } from '../shared/time-zone';

const numberFormats = new Map<string, Intl.NumberFormat>();

/** 136000 → "136,000"; formatters are cached because tiles re-render four times a second. */
export function formatInt(value: number, locale: string): string {
  let f = numberFormats.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    numberFormats.set(locale, f);
  }
  return f.format(value);
}

/** A 0..1 ratio as a percentage with one decimal: 0.978 → "97.8". */
export function formatPercent(ratio: number): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(ratio) ? ratio : 0));
  return (clamped * 100).toFixed(1);
}

/**
 * The county's time zone rules every clock and date on the page, whatever zone the screen's own
 * system is set to (a kiosk left on UTC showed 19:34 beside the next day's figures). A page shows
 * one county, so the network store sets it once when the network arrives and every formatter call
 * site stays as it was.
 */
let countyZone = DEFAULT_TIME_ZONE;
const zoned = new Map<string, Intl.DateTimeFormat>();

export function setCountyTimeZone(timeZone: string): void {
  countyZone = timeZone;
}

export function countyTimeZone(): string {
  return countyZone;
}

/** The county-clock fields of `ms`, from a formatter cached per zone (tiles re-render often). */
function fields(ms: number): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  let f = zoned.get(countyZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: countyZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    zoned.set(countyZone, f);
  }
  const out = { year: '', month: '', day: '', hour: '', minute: '', second: '' };
  for (const p of f.formatToParts(ms)) if (p.type in out) out[p.type as keyof typeof out] = p.value;
  return out;
}

/** The county's wall-clock time, HH:mm:ss. */
export function formatTime(ms: number): string {
  const f = fields(ms);
  return `${f.hour}:${f.minute}:${f.second}`;
}

export function formatMinute(ms: number): string {
  const f = fields(ms);
  return `${f.hour}:${f.minute}`;
}

/** yyyy-MM-dd of the county's day for the header date; the weekday comes from i18n. */
export function formatDate(ms: number): string {
  const f = fields(ms);
  return `${f.year}-${f.month}-${f.day}`;
}

/** A span of time as one line says it, `12-08 09:00–11:00` (the end's day only when another). */
export function formatSpan(startsAt: number, endsAt: number): string {
  const endDay = formatDate(endsAt) === formatDate(startsAt) ? '' : `${formatDate(endsAt).slice(5)} `;
  return `${formatDate(startsAt).slice(5)} ${formatMinute(startsAt)}–${endDay}${formatMinute(endsAt)}`;
}

/** The weekday of the county's day, in the page's language. */
export function formatWeekday(ms: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: countyZone }).format(ms);
}

/**
 * A practice unit's name as people say it: without the long suffix every one of them shares
 * (东升街道新时代文明实践所 → 东升街道); a name that is only the suffix stays whole.
 */
export function shortUnitName(name: string): string {
  const short = name.replace(/(新时代)?文明实践(中心|所|站|点|基地)$/, '');
  return short.length > 0 ? short : name;
}
