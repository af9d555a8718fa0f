/**
 * 在岗 (on duty) and 今日活动, the two KPI figures that count distinct things: a volunteer is on
 * duty while their last check-in or check-out of the county's day is a check-in; an activity ran
 * today when anyone checked in to it. Pure: the live overlay and the store both merge into it.
 */

const DAY_MS = 86_400_000;
/** The county's civil day (UTC+8, no daylight saving in China). */
export const dayOf = (ms: number) => Math.floor((ms + 8 * 3_600_000) / DAY_MS);

/** A volunteer's last check-in or check-out of the day. */
export interface Presence {
  checkedIn: boolean;
  ts: number;
}

/**
 * The later of two presences, as ClickHouse's argMax(type, (ts, type)) picks it: on the same
 * millisecond 'checkout' sorts after 'checkin', so the check-out wins. A maximum, so merging the
 * same presence twice changes nothing.
 */
export const later = (a: Presence, b: Presence): Presence => (a.ts > b.ts || (a.ts === b.ts && !a.checkedIn) ? a : b);

/**
 * One day's volunteers and activities, merged in place. Every merge is idempotent, so a reader may
 * merge rows it has seen before (an overlapping re-read) and still count each volunteer once.
 */
export class DayPresence {
  readonly activities = new Set<string>();
  readonly volunteers = new Map<string, Presence>();
  /** How many of `volunteers` are checked in, kept as they merge rather than counted per frame. */
  active = 0;
  /** The store's own clock (epoch ms) at the newest stored row merged: where the next read starts. */
  storedTo = 0;

  constructor(readonly day: number) {}

  merge(volunteerId: string, p: Presence): void {
    const known = this.volunteers.get(volunteerId);
    const next = known ? later(p, known) : p;
    if (next === known) return;
    this.active += Number(next.checkedIn) - Number(known?.checkedIn ?? false);
    this.volunteers.set(volunteerId, next);
  }
}
