import { describe, expect, it } from 'vitest';
import { generateNetwork } from '../../seed/network.js';
import { allocate, sampleResidents } from '../../shared/residential.js';
import { inMultiPolygon, type MultiPolygon } from '../../shared/geometry.js';

const network = generateNetwork('shuangliu', 20231);

describe('sampleResidents', () => {
  const residents = sampleResidents(network, 4_000);

  it('is deterministic: the same network gives the same sample', () => {
    expect(sampleResidents(network, 4_000)).toEqual(residents);
  });

  it('puts every resident inside its own town, with a station of that town', () => {
    const shapes = new Map<string, MultiPolygon>();
    for (const f of network.towns.features as {
      properties: { instituteId: string };
      geometry: { coordinates: MultiPolygon };
    }[]) {
      shapes.set(f.properties.instituteId, f.geometry.coordinates);
    }
    const nodes = new Map(network.nodes.map((n) => [n.id, n]));
    for (const r of residents.slice(0, 500)) {
      expect(inMultiPolygon([r.lon, r.lat], shapes.get(r.instituteId) ?? [])).toBe(true);
      expect(r.stationId && nodes.get(r.stationId)?.instituteId).toBe(r.instituteId);
    }
  });

  it('makes an urban 街道 denser than a rural 镇 of the same size in sites', () => {
    expect(residents).toHaveLength(4_000);
    const perTown = new Map<string, number>();
    for (const r of residents) perTown.set(r.instituteId, (perTown.get(r.instituteId) ?? 0) + 1);
    const name = (id: string) => network.nodes.find((n) => n.id === id)?.name ?? '';
    const sites = (id: string) => network.nodes.filter((n) => n.instituteId === id).length;
    const density = [...perTown].map(([id, n]) => ({ urban: name(id).includes('街道'), perSite: n / sites(id) }));
    const minUrban = Math.min(...density.filter((d) => d.urban).map((d) => d.perSite));
    const maxRural = Math.max(...density.filter((d) => !d.urban).map((d) => d.perSite));
    expect(minUrban).toBeGreaterThan(maxRural);
  });
});

describe('allocate', () => {
  it('splits a total by weight, exactly', () => {
    expect(allocate([1, 1, 1], 10)).toEqual([4, 3, 3]);
    expect(allocate([3, 1], 8)).toEqual([6, 2]);
    expect(allocate([0, 0], 5)).toEqual([0, 0]);
  });
});
