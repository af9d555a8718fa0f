/** Pure display formatting shared by tiles, feed, header and charts. */

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

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local wall-clock time, HH:mm:ss (the command center and its screens share a time zone). */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatMinute(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** yyyy-MM-dd for the header date; the weekday comes from i18n. */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * A practice unit's name as people say it: without the long suffix every one of them shares
 * (东升街道新时代文明实践所 → 东升街道); a name that is only the suffix stays whole.
 */
export function shortUnitName(name: string): string {
  const short = name.replace(/(新时代)?文明实践(中心|所|站|点|基地)$/, '');
  return short.length > 0 ? short : name;
}
