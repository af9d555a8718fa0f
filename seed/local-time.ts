/**
 * The county's wall clock: local date, weekday and hour of an instant in the county's time zone
 * (`county.timeZone`, default Asia/Shanghai), by Intl rather than a fixed +8, so a county in
 * another zone keeps its own days.
 */
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface LocalTime {
  year: number;
  month: number;
  day: number;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
  hour: number;
  /** The local midnight that starts this day, as epoch ms. */
  midnight: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();
/**
 * Intl is slow next to the rhythm's hour-by-hour sums: the zone's offset is asked once per UTC day
 * and kept (a daylight-saving switch inside that day is an hour off until the next; China has none).
 */
const offsets = new Map<string, number>();
const OFFSETS_MAX = 50_000;

function offsetOf(ts: number, timeZone: string): number {
  const dayStart = Math.floor(ts / DAY_MS) * DAY_MS;
  const key = `${timeZone}|${dayStart}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    let f = formats.get(timeZone);
    if (!f) {
      const numeric = { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' };
      f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', ...numeric } as Intl.DateTimeFormatOptions);
      formats.set(timeZone, f);
    }
    const p: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
    for (const x of f.formatToParts(dayStart)) p[x.type] = x.value;
    const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
    offset = wall - dayStart;
    if (offsets.size >= OFFSETS_MAX) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

export function localTime(ts: number, timeZone: string): LocalTime {
  const offset = offsetOf(ts, timeZone);
  const wall = new Date(ts + offset);
  const hour = wall.getUTCHours();
  const sinceMidnight = hour * HOUR_MS + wall.getUTCMinutes() * 60_000 + wall.getUTCSeconds() * 1000;
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    weekday: (wall.getUTCDay() + 6) % 7,
    hour,
    midnight: ts - sinceMidnight - wall.getUTCMilliseconds(),
  };
}

/** Local midnight of the day holding `ts`, as epoch ms. */
export function localMidnight(ts: number, timeZone: string): number {
  return localTime(ts, timeZone).midnight;
}
