/**
 * What the panels beside the map count at a scope, pure so the rules are tested without a browser:
 * the legend's nodes per level inside the scope, the network bars' rows (所 at the district, a
 * town's 站 below it), the scope the 500 m card measures, and the box the map frames at a point.
 */
import type { NetworkNode, NodeLevel } from '../../shared/network';

export const LEVEL_RANK: Record<NodeLevel, number> = { center: 0, institute: 1, station: 2, point: 3 };

/** Whether a node lies inside the watched scope (the district holds every node). */
export function inScopeTest(scope: NetworkNode | undefined): (n: NetworkNode) => boolean {
  if (!scope || scope.level === 'center') return () => true;
  if (scope.level === 'institute') return (n) => n.instituteId === scope.id;
  if (scope.level === 'point') return (n) => n.id === scope.id;
  return (n) => n.id === scope.id || n.parentId === scope.id;
}

/** Nodes per level inside the scope; levels above the scope are absent (a town holds no 中心). */
export function scopeLevelCounts(
  nodes: readonly NetworkNode[],
  scope: NetworkNode | undefined,
): Partial<Record<NodeLevel, number>> {
  const rank = scope ? LEVEL_RANK[scope.level] : 0;
  const inside = inScopeTest(scope);
  const counts: Partial<Record<NodeLevel, number>> = {};
  for (const level of Object.keys(LEVEL_RANK) as NodeLevel[]) if (LEVEL_RANK[level] >= rank) counts[level] = 0;
  for (const n of nodes) {
    const c = counts[n.level];
    if (c !== undefined && inside(n)) counts[n.level] = c + 1;
  }
  return counts;
}

export interface UnitRow {
  id: string;
  name: string;
  stations: number;
  points: number;
}

/**
 * The bars of the 阵地体系 panel at a scope: at the district one row per 所 (its 站 and 点); inside a
 * town one row per 站 of that town (its 点; the 所's own 点 as a row of the 所), at a station or a
 * point the same rows of its town, the watched 站 marked. `town` names the town the rows belong to.
 */
export function unitRows(
  nodes: readonly NetworkNode[],
  byId: ReadonlyMap<string, NetworkNode>,
  scope: NetworkNode | undefined,
  townName: (id: string) => string | undefined,
): { rows: UnitRow[]; town: NetworkNode | null; marked: string | null } {
  const town = scope && scope.level !== 'center' && scope.instituteId ? (byId.get(scope.instituteId) ?? null) : null;
  const rows = new Map<string, UnitRow>();
  const row = (n: NetworkNode) => ({ id: n.id, name: townName(n.id) ?? n.name, stations: 0, points: 0 });
  if (!town) {
    for (const n of nodes) if (n.level === 'institute') rows.set(n.id, row(n));
    for (const n of nodes) {
      const r = n.instituteId ? rows.get(n.instituteId) : undefined;
      if (r && n.level === 'station') r.stations += 1;
      if (r && n.level === 'point') r.points += 1;
    }
  } else {
    for (const n of nodes) if (n.level === 'station' && n.instituteId === town.id) rows.set(n.id, row(n));
    for (const n of nodes) {
      if (n.level !== 'point' || n.instituteId !== town.id || !n.parentId) continue;
      let r = rows.get(n.parentId);
      // Points run by the 所 itself (no 站 between): one row named after the 所.
      if (!r && n.parentId === town.id) rows.set(town.id, (r = row(town)));
      if (r) r.points += 1;
    }
  }
  const marked = scope?.level === 'station' ? scope.id : scope?.level === 'point' ? (scope.parentId ?? null) : null;
  // Largest at the top: ECharts draws category axes bottom-up, so sort ascending.
  const sorted = [...rows.values()].sort((a, b) => a.stations + a.points - (b.stations + b.points));
  return { rows: sorted, town, marked };
}

/** The scope the 500 m card measures: a point has no residents of its own, so its 站 (or 所) stands in. */
export function coverageScope(
  byId: ReadonlyMap<string, NetworkNode>,
  scope: NetworkNode | undefined,
): { id: string | null; via: NetworkNode | null } {
  if (!scope) return { id: null, via: null };
  if (scope.level !== 'point') return { id: scope.id, via: null };
  const parent = scope.parentId ? byId.get(scope.parentId) : undefined;
  return parent ? { id: parent.id, via: parent } : { id: scope.id, via: null };
}

/** Metres per degree of latitude. */
const M_PER_DEG = 111_195;

/**
 * The box ([south, west], [north, east]) the map frames at a station or a point: its own nodes and
 * its nearest neighbours of any level, at least `minSpanM` across, so a point is seen among the
 * sites around it and the town's border rather than alone on an empty field.
 */
export function neighbourhoodBox(
  nodes: readonly NetworkNode[],
  scope: NetworkNode,
  neighbours = 8,
  minSpanM = 3000,
): [[number, number], [number, number]] {
  const group = scope.level === 'point' && scope.parentId ? scope.parentId : scope.id;
  const cos = Math.cos((scope.lat * Math.PI) / 180);
  const dist = (n: NetworkNode) => Math.hypot(n.lat - scope.lat, (n.lon - scope.lon) * cos);
  const others = nodes
    .filter((n) => n.level !== 'center' && n.id !== group && n.parentId !== group)
    .sort((a, b) => dist(a) - dist(b))
    .slice(0, neighbours);
  const members = nodes.filter((n) => n.id === group || n.parentId === group);
  const all = [scope, ...members, ...others];
  let [s, w, n, e] = [scope.lat, scope.lon, scope.lat, scope.lon];
  for (const p of all) [s, w, n, e] = [Math.min(s, p.lat), Math.min(w, p.lon), Math.max(n, p.lat), Math.max(e, p.lon)];
  const halfLat = minSpanM / M_PER_DEG / 2;
  const halfLon = halfLat / cos;
  const [cLat, cLon] = [(s + n) / 2, (w + e) / 2];
  return [
    [Math.min(s, cLat - halfLat), Math.min(w, cLon - halfLon)],
    [Math.max(n, cLat + halfLat), Math.max(e, cLon + halfLon)],
  ];
}
