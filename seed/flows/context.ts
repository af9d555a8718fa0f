/**
 * What every live flow (seed/flows/*) shares: the network in convenient shapes, the registry of
 * volunteers (by index, see seed/volunteers.ts), one seeded Rng and id minting.
 */
import { randomUUID } from 'node:crypto';
import type { PracticeEvent } from '../../shared/events.js';
import type { Network, NetworkNode } from '../../shared/network.js';
import type { Rng } from '../../shared/random.js';
import { localVolunteerIndex, stationsOfNetwork, volunteerAt, volunteerId, type Volunteer } from '../volunteers.js';

export interface FlowContext {
  network: Network;
  rng: Rng;
  /** Stations and points: where activities, appeals and orders happen. */
  venues: readonly NetworkNode[];
  nodeById: ReadonlyMap<string, NetworkNode>;
  /** Registered volunteers the flows draw from (indices 0..registered-1). */
  registered: number;
  /** The full record (name, phone…): costs a name draw, so flows keep the name once they have it. */
  volunteer(index: number): Volunteer;
  /** Just the id and station, cheap. */
  volunteerRef(index: number): { id: string; stationId: string };
  /** Index of the k-th volunteer of the venue's station (a point's parent station). */
  localVolunteer(venue: NetworkNode, k: number): number;
  /** A fresh subject id: `ACT-<run>-<n>`; `<run>` keeps ids of separate runs apart, and apart from the backfill's. */
  nextId(prefix: string): string;
  /** The id, node and timestamp every event carries. */
  envelope(nodeId: string, ts: number): { id: string; nodeId: string; ts: number };
}

export function createFlowContext(
  network: Network,
  rng: Rng,
  seed: number,
  registered: number,
  runStart: number,
): FlowContext {
  const stations = stationsOfNetwork(network);
  const stationIndex = new Map(stations.map((s, i) => [s.id, i]));
  const nodeById = new Map(network.nodes.map((n) => [n.id, n]));
  const run = `L${runStart.toString(36).toUpperCase()}`;
  let serial = 0;
  return {
    network,
    rng,
    venues: network.nodes.filter((n) => n.level === 'station' || n.level === 'point'),
    nodeById,
    registered,
    volunteer: (index) => volunteerAt(network, index, seed),
    volunteerRef: (index) => ({ id: volunteerId(index), stationId: stations[index % stations.length]?.id ?? '' }),
    localVolunteer(venue, k) {
      const stationId = venue.level === 'station' ? venue.id : (venue.parentId ?? '');
      return localVolunteerIndex(stationIndex.get(stationId) ?? 0, stations.length, k, registered);
    },
    nextId: (prefix) => `${prefix}-${run}-${(serial += 1)}`,
    envelope: (nodeId, ts) => ({ id: randomUUID(), nodeId, ts }),
  };
}

/** A live flow: asked each tick for about `budget` events (it may return fewer when nothing is due). */
export interface Flow {
  step(now: number, budget: number): PracticeEvent[];
}
