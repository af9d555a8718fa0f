/**
 * Every county of the mainland keeps Beijing time, UTC+8 all year. Its own module, free of
 * schemas, so the wall's bundle can import it without pulling in TypeBox. The server and the
 * wall do day arithmetic on epoch ms with the fixed offset (China has no daylight saving); SQL
 * names the zone (server/store binds it as `{tz:String}`, the tables' columns carry it from their
 * migrations). The seed reads each county's own `timeZone` through Intl (seed/local-time.ts).
 */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** The zone's offset from UTC in ms. */
export const UTC_OFFSET_MS = 8 * 3_600_000;
/** The same offset as ISO 8601 writes it: `${date}T00:00:00${UTC_OFFSET}` is the county's midnight. */
export const UTC_OFFSET = '+08:00';

const DAY_MS = 86_400_000;

/** The county's civil day holding `ms`, as a day number (days since 1970-01-01 on its clock). */
export const localDay = (ms: number): number => Math.floor((ms + UTC_OFFSET_MS) / DAY_MS);
