/**
 * The 点单 form's time choices: a day (today and the next six) and a part of it, turned into the
 * window the server checks (shared/public.ts), on the county's clock whatever the phone's zone.
 */
import type { ServiceWindow } from '../../shared/public';
import { localDay, UTC_OFFSET_MS } from '../../shared/time-zone';

export const SLOTS = { morning: [8, 12], afternoon: [14, 18], evening: [18, 21] } as const;
export type Slot = keyof typeof SLOTS;
export const DAYS_AHEAD = 7;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The window of `slot` on the day `offset` days after today (county clock). */
export function serviceWindow(now: number, offset: number, slot: Slot): ServiceWindow {
  const midnight = (localDay(now) + offset) * DAY_MS - UTC_OFFSET_MS;
  const [from, to] = SLOTS[slot];
  return { from: midnight + from * HOUR_MS, to: midnight + to * HOUR_MS };
}

/** Slots of a day still open at `now`: today's that have ended are not offered. */
export function openSlots(now: number, offset: number): Slot[] {
  return (Object.keys(SLOTS) as Slot[]).filter((s) => serviceWindow(now, offset, s).to > now);
}
