/**
 * Registered volunteers as a pure function of (network, index, seed): the backfill writes them to the
 * `volunteers` table and the simulator names them in live events, and both agree without a lookup.
 *
 * Volunteer i belongs to station i mod (number of stations), so "the k-th volunteer of station s" is
 * index s + k·stations — computable in JS and in SQL alike.
 */
import type { Network, NetworkNode } from '../shared/network.js';
import { countyFacts } from './counties.js';
import { SKILLS } from '../shared/candidates.js';
import { mobilePhone, personName } from './names.js';
import { createRng, hashSeed, type Rng } from '../shared/random.js';
import type { Volunteer } from '../server/store/network-repository.js';

/** The registry's row (server/store/network-repository.ts), as the seed generates it. */
export type { Volunteer };

/** Registered volunteers the county reports (136,000 in Shuangliu, 25,000 in Baokang). */
export function volunteerCount(network: Network): number {
  return countyFacts(network).volunteers;
}

/** V000001 for index 0: ids are 1-based, as a registry would number them. */
export function volunteerId(i: number): string {
  return `V${String(i + 1).padStart(6, '0')}`;
}

const stationsOf = new WeakMap<Network, NetworkNode[]>();

/** The network's stations in id order (cached: volunteerAt runs once per registered volunteer). */
export function stationsOfNetwork(network: Network): NetworkNode[] {
  let stations = stationsOf.get(network);
  if (!stations) {
    stations = network.nodes.filter((n) => n.level === 'station').sort((a, b) => a.id.localeCompare(b.id));
    stationsOf.set(network, stations);
  }
  return stations;
}

export function volunteerAt(network: Network, i: number, seed = 20231): Volunteer {
  const stations = stationsOfNetwork(network);
  const station = stations[i % stations.length];
  if (!station) throw new Error('the network has no stations');
  const perStation = Math.max(1, Math.round(countyFacts(network).teams / stations.length));
  const team = Math.floor(i / stations.length) % perStation;
  const rng = createRng(hashSeed(seed, i));
  // A 专业队 has one speciality; its members may add a couple of their own.
  const skills = new Set<string>([SKILLS[team % SKILLS.length] ?? 'culture']);
  for (let extra = rng.int(0, 2); extra > 0; extra--) skills.add(rng.pick(SKILLS));
  return {
    id: volunteerId(i),
    name: personName(rng),
    phone: mobilePhone(rng),
    teamId: `${station.instituteId ?? ''}:${station.id}:T${String(team + 1).padStart(2, '0')}`,
    instituteId: station.instituteId ?? '',
    stationId: station.id,
    skills: [...skills],
  };
}

/**
 * Index of the k-th volunteer (wrapping) of the station at `stationIndex`, among the first `registered`
 * volunteers — the simulator's way to pick a local volunteer for an activity.
 */
export function localVolunteerIndex(stationIndex: number, stations: number, k: number, registered: number): number {
  if (stationIndex >= registered) return k % registered; // fewer volunteers than stations: anyone will do
  const atStation = Math.max(1, Math.floor((registered - 1 - stationIndex) / stations) + 1);
  return stationIndex + stations * (k % atStation);
}

export interface Citizen {
  name: string;
  phone: string;
}

/** A resident filing an appeal or ordering a service: invented, never a registered volunteer. */
export function randomCitizen(rng: Rng): Citizen {
  return { name: personName(rng), phone: mobilePhone(rng) };
}
