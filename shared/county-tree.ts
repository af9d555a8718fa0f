/**
 * The checks across rows a schema cannot make: one id per node, one 中心, every parent present and
 * exactly one level up (中心 → 所 → 站 → 点, the "1+9+118+N" tree), every site inside the outline.
 * Each problem names the row (`nodes.csv line 12 (S007)`) and what to fix.
 */
import { LEVEL_WORDS } from './county.js';
import type { LocatedRow } from './county-nodes.js';
import { inMultiPolygon, type MultiPolygon } from './geometry.js';
import type { NodeLevel } from './network.js';

const ABOVE: Readonly<Record<NodeLevel, NodeLevel | null>> = {
  center: null,
  institute: 'center',
  station: 'institute',
  point: 'station',
};
const WORD: Readonly<Record<NodeLevel, string>> = {
  center: 'the 中心 (center)',
  institute: 'a 所 (institute)',
  station: 'a 站 (station)',
  point: 'a 点 (point)',
};

export const levelOf = (r: LocatedRow): NodeLevel => LEVEL_WORDS[r.row.level as keyof typeof LEVEL_WORDS];

export function checkTree(rows: readonly LocatedRow[], shape: MultiPolygon): string[] {
  const problems: string[] = [];
  const byId = new Map<string, LocatedRow>();
  for (const r of rows) {
    const first = byId.get(r.row.id);
    if (first) problems.push(`${r.where}: duplicate id ${r.row.id}, first used at ${first.where}`);
    else byId.set(r.row.id, r);
  }
  const centers = rows.filter((r) => levelOf(r) === 'center');
  if (centers.length === 0) problems.push(`${fileOf(rows)}: no 中心 (center) row`);
  for (const extra of centers.slice(1)) {
    problems.push(`${extra.where}: a second 中心 (center); the county has one, at ${centers[0]?.where ?? ''}`);
  }
  for (const level of ['institute', 'station'] as const) {
    if (!rows.some((r) => levelOf(r) === level)) problems.push(`${fileOf(rows)}: no ${WORD[level]} rows`);
  }

  const seats = new Map<string, LocatedRow>();
  for (const r of rows) {
    const level = levelOf(r);
    const want = ABOVE[level];
    const parent = r.row.parent === '' ? undefined : byId.get(r.row.parent);
    if (want === null && r.row.parent !== '') {
      problems.push(`${r.where}: the 中心 (center) has no parent, found "${r.row.parent}"`);
    } else if (want !== null && r.row.parent === '') {
      problems.push(`${r.where}: ${WORD[level]} needs a parent, the id of ${WORD[want]}`);
    } else if (want !== null && !parent) {
      problems.push(`${r.where}: orphan ${level}, its parent ${r.row.parent} is not in the file`);
    } else if (want !== null && parent && levelOf(parent) !== want) {
      problems.push(
        `${r.where}: the parent of ${WORD[level]} must be ${WORD[want]}, but ${r.row.parent} is ${WORD[levelOf(parent)]} (${parent.where})`,
      );
    }
    if (r.row.kind && level !== 'point') problems.push(`${r.where}: kind is for a 点 (point) only`);
    if (!inMultiPolygon([r.row.lon, r.row.lat], shape)) {
      const what = level === 'institute' ? `the town's 所 (institute)` : WORD[level];
      problems.push(`${r.where}: ${what} at ${r.row.lon}, ${r.row.lat} (lon, lat) is outside the county outline`);
    }
    if (level === 'institute') {
      // Town areas are drawn around each 所: two at one spot would leave one town without an area.
      const key = `${r.row.lon},${r.row.lat}`;
      const same = seats.get(key);
      if (same) problems.push(`${r.where}: at the same position as ${same.row.id}; each 所 needs its own`);
      else seats.set(key, r);
    }
  }
  return problems;
}

const fileOf = (rows: readonly LocatedRow[]): string => rows[0]?.where.split(' ')[0] ?? 'nodes file';
