/**
 * The per-minute rollup's rows of a span, read as whole hours where the span holds them (migration
 * 014): the minutes of the span's partial first hour, then whole hours from events_hour, then the
 * minutes of the hour the span ends in. Over 100 M events a site's minute holds one or two events
 * of a kind, so a day of minutes is hundreds of thousands of rows and the same day of hours a
 * tenth of them. The hour in progress is read from minutes, not events_hour, although both are
 * fed by the same insert: a store read as of a moment (as-of.ts) cuts events_hour at the last whole
 * hour and events_minute at the minute, and the same SQL must answer both.
 */

/**
 * A subquery of events_minute's rows with `minute >= from` and, unless `open`, `minute <= to` (both
 * DateTime expressions; `to` is the query's moment, so a store read as of it cuts alike), `span_at`
 * being the row's minute or hour: whichever bucket of an hour or longer it falls in is the same.
 * `open` keeps minutes stamped after `to` (a device clock ahead), as a bare `minute >= from` did.
 * `columns` (after `at`) and `where` name only columns both tables share (type, institute_id,
 * node_id, tag, events, value).
 */
export function minutesAsHours(from: string, to: string, where: string, columns: string, open = false): string {
  // The first whole hour at or after `from`, and the hour `to` falls in.
  const firstWhole = `toStartOfHour(${from} - toIntervalSecond(1)) + toIntervalHour(1)`;
  const lastHour = `toStartOfHour(${to})`;
  const upTo = open ? '' : ` AND minute <= ${to}`;
  return `(SELECT minute AS span_at, ${columns} FROM events_minute
      WHERE ${where} AND minute >= ${from} AND minute < ${firstWhole}${upTo}
    UNION ALL
    SELECT hour AS span_at, ${columns} FROM events_hour
      WHERE ${where} AND hour >= ${firstWhole} AND hour < ${lastHour}
    UNION ALL
    SELECT minute AS span_at, ${columns} FROM events_minute
      WHERE ${where} AND minute >= greatest(${firstWhole}, ${lastHour})${upTo})`;
}
