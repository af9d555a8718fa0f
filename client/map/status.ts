/**
 * Live status of a node, from its `nodes.status` figures: the thresholds that colour the map and
 * its legend, and the mix per town that the district view shows as a small ring per town.
 */
import type { NetworkNode } from '../../shared/network';
import type { NodeStatus } from '../../shared/queries/nodes-status';

/** Worst first: a node shows the most urgent thing about it. */
export const STATUS_KINDS = ['overdue', 'busy', 'active', 'idle'] as const;
export type StatusKind = (typeof STATUS_KINDS)[number];

export const STATUS_COLOR: Record<StatusKind, string> = {
  overdue: '#ff4d5e',
  busy: '#ffb547',
  active: '#35f29a',
  idle: '#3a6ea8',
};

/** Open demand (orders + appeals) at which a node counts as busy, unless the panel sets `busyAt`. */
export const BUSY_AT = 3;

export function statusKind(s: NodeStatus | undefined, busyAt = BUSY_AT): StatusKind {
  if (!s) return 'idle';
  if (s.overdue > 0) return 'overdue';
  if (s.openOrders + s.openAppeals >= busyAt) return 'busy';
  if (s.active > 0 || s.checkins > 0) return 'active';
  return 'idle';
}

export type StatusMix = Record<StatusKind, number>;
const emptyMix = (): StatusMix => ({ overdue: 0, busy: 0, active: 0, idle: 0 });

/** Nodes of each status per town (by institute id), the center left out. */
export function townMix(
  nodes: readonly NetworkNode[],
  status: ReadonlyMap<string, NodeStatus>,
  busyAt = BUSY_AT,
): Map<string, StatusMix> {
  const out = new Map<string, StatusMix>();
  for (const n of nodes) {
    if (!n.instituteId) continue;
    const mix = out.get(n.instituteId) ?? emptyMix();
    mix[statusKind(status.get(n.id), busyAt)] += 1;
    out.set(n.instituteId, mix);
  }
  return out;
}

/** An SVG ring of the mix (worst status first, clockwise from the top), as markup for a DOM marker. */
export function mixRing(mix: StatusMix, size: number): string {
  const total = STATUS_KINDS.reduce((sum, k) => sum + mix[k], 0);
  const r = size / 2 - 4;
  const c = 2 * Math.PI * r;
  let offset = 0;
  const arcs = STATUS_KINDS.filter((k) => mix[k] > 0).map((k) => {
    const length = total === 0 ? 0 : (mix[k] / total) * c;
    const arc =
      `<circle r="${r}" cx="${size / 2}" cy="${size / 2}" fill="none" stroke="${STATUS_COLOR[k]}" stroke-width="6" ` +
      `stroke-dasharray="${length.toFixed(2)} ${(c - length).toFixed(2)}" stroke-dashoffset="${(-offset).toFixed(2)}" ` +
      `transform="rotate(-90 ${size / 2} ${size / 2})"/>`;
    offset += length;
    return arc;
  });
  return `<svg width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">${arcs.join('')}</svg>`;
}
