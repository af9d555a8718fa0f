import { describe, expect, it } from 'vitest';
import { generateNetwork } from '../../seed/network.js';
import { createRng } from '../../shared/random.js';
import {
  localVolunteerIndex,
  randomCitizen,
  stationsOfNetwork,
  volunteerAt,
  volunteerCount,
} from '../../seed/volunteers.js';

const network = generateNetwork('shuangliu');
const byId = new Map(network.nodes.map((n) => [n.id, n]));

describe('volunteers', () => {
  it('sizes the registries as the articles do', () => {
    expect(volunteerCount(network)).toBe(136_000);
    expect(volunteerCount(generateNetwork('baokang'))).toBe(25_000);
  });

  it('derives the same volunteer from the same index and seed', () => {
    expect(volunteerAt(network, 4321, 9)).toEqual(volunteerAt(network, 4321, 9));
    const names = (seed: number): string[] => Array.from({ length: 20 }, (_, i) => volunteerAt(network, i, seed).name);
    expect(names(9)).not.toEqual(names(10));
    expect(new Set(Array.from({ length: 200 }, (_, i) => volunteerAt(network, i).name)).size).toBeGreaterThan(150);
  });

  it('fills every field plausibly and consistently with the network', () => {
    for (const i of [0, 1, 117, 118, 135_999]) {
      const v = volunteerAt(network, i);
      expect(v.id).toBe(`V${String(i + 1).padStart(6, '0')}`);
      expect(Array.from(v.name).length).toBeGreaterThanOrEqual(2);
      expect(v.phone).toMatch(/^1[3-9]\d{9}$/);
      const station = byId.get(v.stationId);
      expect(station?.level).toBe('station');
      expect(v.instituteId).toBe(station?.instituteId);
      expect(v.teamId).toMatch(new RegExp(`^${v.instituteId}:${v.stationId}:T\\d{2}$`));
      expect(v.skills.length).toBeGreaterThanOrEqual(1);
    }
  });

  it('finds a station’s own volunteers by index, wrapping within the registry', () => {
    const stations = stationsOfNetwork(network);
    for (const k of [0, 5, 10_000]) {
      const index = localVolunteerIndex(7, stations.length, k, 2_720);
      expect(index).toBeLessThan(2_720);
      expect(volunteerAt(network, index).stationId).toBe(stations[7]?.id);
    }
  });

  it('invents citizens with a name and a mobile number', () => {
    const citizen = randomCitizen(createRng(3));
    expect(citizen.phone).toMatch(/^1[3-9]\d{9}$/);
    expect(citizen.name.length).toBeGreaterThanOrEqual(2);
  });
});
