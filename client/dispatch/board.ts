/** Pure board helpers: filtering, grouping by state, SLA standing and durations for display. */
import type { OrderView } from '../../shared/dispatch';
import type { OrderState } from '../../shared/events';
import { OPEN_STATES } from '../../shared/orders';
import { shortUnitName } from '../format';

/** The open states in flow order: the board's sections. */
export { OPEN_STATES };

export interface BoardFilter {
  town: string;
  state: string;
  category: string;
  text: string;
}
export const emptyFilter = (): BoardFilter => ({ town: '', state: '', category: '', text: '' });

export function matches(o: OrderView, f: BoardFilter, townName: (id: string) => string): boolean {
  if (f.town && o.instituteId !== f.town) return false;
  if (f.state && o.state !== f.state) return false;
  if (f.category && (o.category || 'other') !== f.category) return false;
  const q = f.text.trim();
  return q === '' || o.id.includes(q) || o.title.includes(q) || townName(o.instituteId).includes(q);
}

/** Most urgent first: overdue ones by how late, then by due time, then the oldest requests. */
export function byUrgency(a: OrderView, b: OrderView): number {
  const da = a.dueAt ?? Number.POSITIVE_INFINITY;
  const db = b.dueAt ?? Number.POSITIVE_INFINITY;
  return da - db || a.createdAt - b.createdAt || a.id.localeCompare(b.id);
}

export interface Section {
  state: OrderState;
  orders: OrderView[];
}

/** Orders by state in flow order, each sorted by urgency; empty sections are dropped. */
export function sections(orders: Iterable<OrderView>): Section[] {
  const by = new Map<OrderState, OrderView[]>();
  for (const o of orders) by.set(o.state, [...(by.get(o.state) ?? []), o]);
  return OPEN_STATES.flatMap((state) => {
    const list = by.get(state);
    return list ? [{ state, orders: list.sort(byUrgency) }] : [];
  });
}

/** States waiting for a dispatcher's step: the center's two, then the towns' two. */
const WAITING_CENTER: readonly OrderState[] = ['requested', 'accepted_by_center'];
const WAITING_TOWN: readonly OrderState[] = ['dispatched_institute', 'dispatched_station'];

/**
 * "g": the most urgent order waiting for this dispatcher's step, other than the one open now
 * (working the console, j/k alone left the dispatcher at the bottom of a 200-order board).
 */
export function nextActionable(visible: readonly OrderView[], center: boolean, current: string | null) {
  const waiting = center ? [...WAITING_CENTER, ...WAITING_TOWN] : WAITING_TOWN;
  return [...visible].filter((o) => o.id !== current && waiting.includes(o.state)).sort(byUrgency)[0] ?? null;
}

export type SlaStanding = 'none' | 'ok' | 'soon' | 'overdue';
/** Last fifth of the time limit, at most 10 minutes: "soon" warns before the pulse starts. */
const SOON_MS = 10 * 60_000;

export function slaStanding(o: OrderView, now: number): SlaStanding {
  if (o.dueAt === null) return 'none';
  const left = o.dueAt - now;
  if (left <= 0) return 'overdue';
  return left <= SOON_MS ? 'soon' : 'ok';
}

/** 75 s → "1:15", 2 h 5 min → "2:05:00": a timer a dispatcher reads at a glance. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(Math.abs(ms) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

export const distance = (m: number): string => (m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(1)} km`);

/** A team id carries its path (`I03:S045:T07`): its own code and its station say who it is. */
export function teamLabel(id: string, nameOf: (id: string) => string): string {
  const parts = id.split(':');
  const station = parts.length > 2 ? parts[parts.length - 2] : undefined;
  const code = parts[parts.length - 1] ?? id;
  return station ? `${shortUnitName(nameOf(station))} ${code}` : code;
}
