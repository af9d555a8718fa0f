import { describe, expect, it } from 'vitest';
import type { NetworkNode } from '../../shared/network.js';
import { normalizeScope, parentScope, scopeChain, scopeFor, scopedWallTown } from '../../client/map/drill.js';
import { statusKind, townMix } from '../../client/map/status.js';

const node = (
  id: string,
  level: NetworkNode['level'],
  parentId: string | null,
  instituteId: string | null,
): NetworkNode => ({
  id,
  level,
  name: id,
  parentId,
  instituteId,
  lat: 30.5,
  lon: 103.9,
  kind: null,
  code: `code-${id}`,
});
const nodes = new Map(
  [
    node('C', 'center', null, null),
    node('I01', 'institute', 'C', 'I01'),
    node('S001', 'station', 'I01', 'I01'),
    node('P001', 'point', 'S001', 'I01'),
    node('P002', 'point', 'I01', 'I01'),
  ].map((n) => [n.id, n]),
);

describe('drill-down', () => {
  it('gives every node its own scope, points included', () => {
    expect(scopeFor(nodes, 'P001')?.id).toBe('P001');
    expect(scopeFor(nodes, 'P002')?.id).toBe('P002');
    expect(scopeFor(nodes, 'nope')).toBeNull();
  });

  it('builds the breadcrumb 区 › 镇 › 站 › 点 from any node', () => {
    expect(scopeChain(nodes, 'P001').map((n) => n.id)).toEqual(['C', 'I01', 'S001', 'P001']);
    // A point run by a 所 directly sits under its town.
    expect(scopeChain(nodes, 'P002').map((n) => n.id)).toEqual(['C', 'I01', 'P002']);
    expect(scopeChain(nodes, 'I01').map((n) => n.id)).toEqual(['C', 'I01']);
    // Unknown or district: just the district crumb.
    expect(scopeChain(nodes, null).map((n) => n.id)).toEqual(['C']);
    expect(scopeChain(nodes, 'nope').map((n) => n.id)).toEqual(['C']);
  });

  it('goes up one level at a time, to null (the district) at the top', () => {
    expect(parentScope(nodes, 'S001')).toBe('I01');
    expect(parentScope(nodes, 'P001')).toBe('S001');
    expect(parentScope(nodes, 'P002')).toBe('I01');
    expect(parentScope(nodes, 'I01')).toBeNull();
    expect(parentScope(nodes, null)).toBeNull();
  });

  it('keeps what a URL asks for as the store holds it', () => {
    expect(normalizeScope(nodes, 'I01')).toBe('I01');
    expect(normalizeScope(nodes, 'P001')).toBe('P001');
    expect(normalizeScope(nodes, 'C')).toBeNull();
    expect(normalizeScope(nodes, 'X99')).toBeNull();
  });
});

describe('live status thresholds', () => {
  const s = (
    patch: Partial<{ active: number; checkins: number; openOrders: number; openAppeals: number; overdue: number }>,
  ) => ({
    id: 'S001',
    active: 0,
    checkins: 0,
    openOrders: 0,
    openAppeals: 0,
    overdue: 0,
    ...patch,
  });
  it('shows the most urgent thing about a node', () => {
    expect(statusKind(undefined)).toBe('idle');
    expect(statusKind(s({ checkins: 1 }))).toBe('active');
    expect(statusKind(s({ checkins: 4, openAppeals: 2, openOrders: 1 }))).toBe('busy');
    expect(statusKind(s({ openAppeals: 1, overdue: 1 }))).toBe('overdue');
    // A panel's busyAt moves the 需求集中 line: two open appeals are busy at 2, not at the default 3.
    expect(statusKind(s({ openAppeals: 2 }))).toBe('idle');
    expect(statusKind(s({ openAppeals: 2 }), 2)).toBe('busy');
  });
  it('mixes a town from its nodes, without the center', () => {
    const mix = townMix([...nodes.values()], new Map([['S001', s({ overdue: 1 })]]));
    expect(mix.get('I01')).toEqual({ overdue: 1, busy: 0, active: 0, idle: 3 });
  });
});

describe("a town's wall opened without a town", () => {
  const list = [...nodes.values()];
  it('goes to the first 所 on a district screen', () => {
    expect(scopedWallTown(list, null, null)).toBe('I01');
  });
  it("stays on a town's screen (its own town is its top) and where a scope is chosen", () => {
    expect(scopedWallTown(list, null, 'I07')).toBeNull();
    expect(scopedWallTown(list, 'S001', null)).toBeNull();
  });
  it("waits while the screen's own scope is unknown, so a town's token is not sent to the first town", () => {
    expect(scopedWallTown(list, null, undefined)).toBeNull();
  });
});
