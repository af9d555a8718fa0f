/**
 * The store as it was at a moment (回放, server/replay/): a transport whose reads see only what had
 * happened before `untilMs`, so the same named queries that serve the live wall answer for a past
 * minute, unchanged. ClickHouse's `additional_table_filters` adds the bound to every read of each
 * table, in subqueries and joins too; it is a setting, whose value cannot take bound parameters,
 * so the only value written into it is an integer this module checks.
 *
 * Rollups are cut at their own grain: the per-minute table exactly (replayed figures are read on a
 * minute boundary), the per-hour, per-day and per-month ones at the last whole hour, day or month
 * before the moment, never showing what came after it.
 */
import type { Params, Transport } from './transport.js';
import { ZONE } from './zone.js';

/** Table → its time column's bound, given the moment as `@` (a DateTime64 in the county's zone). */
const CUTS: Record<string, string> = {
  events: 'ts < @',
  articles: 'published < @',
  volunteers: 'registered_at < @',
  events_minute: 'minute < @',
  events_hour: 'hour < toStartOfHour(@)',
  media_read_hour: 'hour < toStartOfHour(@)',
  events_day: 'day < toDate(@)',
  activity_day: 'day < toDate(@)',
  events_month: 'month < toStartOfMonth(@)',
  activity_month: 'month < toStartOfMonth(@)',
};

function filters(untilMs: number): string {
  if (!Number.isSafeInteger(untilMs) || untilMs < 0) throw new RangeError(`not a moment: ${untilMs}`);
  // Inside the setting's map each filter is itself a quoted string: its own quotes are escaped.
  const moment = `fromUnixTimestamp64Milli(toInt64(${untilMs}), \\'${ZONE.tz}\\')`;
  const entries = Object.entries(CUTS).map(([table, cut]) => `'${table}': '${cut.replace('@', moment)}'`);
  return `additional_table_filters = {${entries.join(', ')}}`;
}

/** Appends the setting to a query's own SETTINGS clause (ours end the statement), or adds one. */
const withSetting = (sql: string, setting: string): string =>
  /\bSETTINGS\s+[\s\S]*$/.test(sql) ? `${sql.trimEnd()}, ${setting}` : `${sql.trimEnd()} SETTINGS ${setting}`;

/** `store` read as of `untilMs` (exclusive). Writes are refused: a replay only reads. */
export function asOf(store: Transport, untilMs: number): Transport {
  const setting = filters(untilMs);
  return {
    kind: store.kind,
    query: <T>(sql: string, params?: Params) => store.query<T>(withSetting(sql, setting), params),
    command: () => Promise.reject(new Error('a store read as of a moment takes no commands')),
    insertJsonEachRow: () => Promise.reject(new Error('a store read as of a moment takes no inserts')),
    close: () => Promise.resolve(),
  };
}
