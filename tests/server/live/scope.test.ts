import { describe, expect, it } from 'vitest';
import { buildScopes } from '../../../server/live/scope.js';
import { generateNetwork } from '../../../seed/network.js';

const network = generateNetwork('shuangliu');
const scopes = buildScopes(network);
const point = network.nodes.find((n) => n.level === 'point');
const station = network.nodes.find((n) => n.id === point?.parentId);

describe('scopes', () => {
  it('puts an event at a point in the point, its station, its town and the district', () => {
    expect(scopes.of(point?.id ?? '')).toEqual(['C0', station?.instituteId, station?.id, point?.id]);
    expect(scopes.nodesIn(point?.id ?? '')).toEqual([point?.id]);
  });
  it('lists a town’s nodes: itself, its stations and their points', () => {
    const town = station?.instituteId ?? '';
    const inTown = network.nodes.filter((n) => n.instituteId === town).map((n) => n.id);
    expect([...(scopes.nodesIn(town) ?? [])].sort()).toEqual(inTown.sort());
    expect(scopes.nodesIn('C0')).toBeNull();
  });
  it('lets screens watch the center, towns, stations and points, not unknown ids', () => {
    expect(scopes.isScope('C0')).toBe(true);
    expect(scopes.isScope(station?.id ?? '')).toBe(true);
    expect(scopes.isScope(point?.id ?? '')).toBe(true);
    expect(scopes.isScope('nope')).toBe(false);
  });
});
