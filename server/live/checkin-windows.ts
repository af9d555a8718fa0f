/**
 * Check-ins per site within a sliding window, kept as they arrive (nodes.status's `checkins`; the
 * live figures in live/figures.ts). Each answer walked every check-in of the last day (55 k over
 * 100 M events, growing with the store: a few ms of nodes.status's 30–70 there); here it moves each
 * window's start over the minutes it slid past and reads one count per site, so its cost follows
 * the sites and the minutes elapsed, not the check-ins.
 *
 * Per minute: the check-ins' event ids (one applied twice counts once) and counts per site. Per
 * window length: the minute it counts from and, per site, the check-ins of every minute held from
 * that one on — an invariant each step below keeps, whichever way the window moves. Pure: no I/O.
 */

const MINUTE_MS = 60_000;

interface Minute {
  ids: Set<string>;
  bySite: Map<string, number>;
}

interface Window {
  from: number;
  bySite: Map<string, number>;
}

function bump(counts: Map<string, number>, site: string, by: number): void {
  const n = (counts.get(site) ?? 0) + by;
  // Sites at zero are dropped, so an answer reads only sites with check-ins.
  if (n === 0) counts.delete(site);
  else counts.set(site, n);
}

function addAll(counts: Map<string, number>, minute: Minute | undefined, sign: 1 | -1): void {
  for (const [site, n] of minute?.bySite ?? []) bump(counts, site, sign * n);
}

export class CheckinWindows {
  private readonly minutes = new Map<number, Minute>();
  private readonly windows = new Map<number, Window>();

  /** One check-in event; the same event id again is ignored. */
  add(id: string, site: string, ts: number): void {
    const at = Math.floor(ts / MINUTE_MS) * MINUTE_MS;
    let minute = this.minutes.get(at);
    if (!minute) this.minutes.set(at, (minute = { ids: new Set<string>(), bySite: new Map<string, number>() }));
    if (minute.ids.has(id)) return;
    minute.ids.add(id);
    bump(minute.bySite, site, 1);
    for (const w of this.windows.values()) if (at >= w.from) bump(w.bySite, site, 1);
  }

  /**
   * Check-ins per site from `fromMinute` (a minute's start) on, for the window of `lengthMs`: each
   * length keeps its own counts, so a wall asking 1 h and another 24 h do not undo each other's steps.
   */
  from(lengthMs: number, fromMinute: number): ReadonlyMap<string, number> {
    let w = this.windows.get(lengthMs);
    // A far jump (a first answer, a clock set back) is cheaper summed afresh than stepped.
    if (!w || Math.abs(fromMinute - w.from) / MINUTE_MS > this.minutes.size) {
      w = { from: fromMinute, bySite: new Map<string, number>() };
      for (const [at, minute] of this.minutes) if (at >= fromMinute) addAll(w.bySite, minute, 1);
      this.windows.set(lengthMs, w);
      return w.bySite;
    }
    for (let at = w.from; at < fromMinute; at += MINUTE_MS) addAll(w.bySite, this.minutes.get(at), -1);
    for (let at = fromMinute; at < w.from; at += MINUTE_MS) addAll(w.bySite, this.minutes.get(at), 1);
    w.from = fromMinute;
    return w.bySite;
  }

  /** Forgets the minutes wholly before `beforeMs`, taking them out of every window still counting them. */
  prune(beforeMs: number): void {
    for (const [at, minute] of this.minutes) {
      if (at + MINUTE_MS > beforeMs) continue;
      for (const w of this.windows.values()) if (at >= w.from) addAll(w.bySite, minute, -1);
      this.minutes.delete(at);
    }
  }
}
