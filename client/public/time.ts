/** Times on the citizens' pages, on the county's clock in the page's language. */
import type { ServiceWindow } from '../../shared/public';
import { DEFAULT_TIME_ZONE } from '../../shared/time-zone';

const formatter = (locale: string, options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat(locale, { timeZone: DEFAULT_TIME_ZONE, hourCycle: 'h23', ...options });

/** `12/8 14:05`: when a step was reached. */
export const stepTime = (ms: number, locale: string): string =>
  formatter(locale, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(ms);

/** `12月8日周二 09:00–11:00`: when the service was asked for. */
export function windowLabel(w: ServiceWindow, locale: string): string {
  const day = formatter(locale, { month: 'short', day: 'numeric', weekday: 'short' }).format(w.from);
  const hm = formatter(locale, { hour: '2-digit', minute: '2-digit' });
  return `${day} ${hm.format(w.from)}–${hm.format(w.to)}`;
}
