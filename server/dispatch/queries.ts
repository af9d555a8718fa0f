/**
 * What the console reads: the open board of a scope, candidates near an order. Reads only the
 * projection, the network and the registry; the service answers them (service.ts).
 */
import { canActOn, DISTRICT } from '../../shared/auth.js';
import {
  candidatePosition,
  CHECKIN_FRESH_MS,
  haversineM,
  rankCandidates,
  type CandidateInput,
} from '../../shared/candidates.js';
import { DispatchCode, type Candidate, type OrderView, type VolunteerView } from '../../shared/dispatch.js';
import { categoryOf } from '../../shared/candidates.js';
import type { NetworkNode } from '../../shared/network.js';
import { isOpen } from '../../shared/orders.js';
import type { Result } from '../../shared/result.js';
import { fail, ok } from '../../shared/result.js';
import { volunteersAt } from '../store/orders-repository.js';
import { checkedInSince, lastCheckins } from '../store/team-repository.js';
import type { Transport } from '../store/transport.js';
import type { DispatchActor } from './actor.js';
import type { Projection } from './projection.js';
import type { VolunteerBoard } from './volunteers.js';

/** The parts a read looks at. */
export interface Board {
  projection: Projection;
  volunteers: VolunteerBoard;
  nodes: ReadonlyMap<string, NetworkNode>;
  store: Transport;
  now: () => number;
}

/** Stations searched around an order, and volunteers read per station. */
const NEAREST_STATIONS = 6;
const PER_STATION = 60;
/** Volunteers out in the town (a fresh check-in) read beside the stations' lists. */
const CHECKED_IN = 200;

const inScope = (scope: string, instituteId: string): boolean => scope === DISTRICT || scope === instituteId;

/** Open orders of a scope (a town or the district), oldest first. */
export function openOrders(s: Board, scope: string): OrderView[] {
  return s.projection
    .all()
    .filter((o) => isOpen(o.state) && inScope(scope, o.instituteId))
    .sort((a, b) => a.createdAt - b.createdAt)
    .map((o) => s.projection.view(o));
}

/** Volunteers on open orders of the scope. */
export function busyVolunteers(s: Board, scope: string): VolunteerView[] {
  const out: VolunteerView[] = [];
  for (const id of s.volunteers.busy()) {
    if (id.includes(':')) continue;
    const towns = s.volunteers.orderIds(id).map((o) => s.projection.get(o)?.instituteId ?? '');
    if (towns.some((t) => inScope(scope, t))) out.push(s.volunteers.view(id));
  }
  return out;
}

/**
 * Volunteers and teams of the unit the order was dispatched to, ranked (shared/candidates.ts): its
 * 站 first, then the 站 of its town nearest the venue, and the town's volunteers out on a recent
 * check-in, each measured from where that check-in was (else from their station). Never another town's people: they were drawn
 * from the stations nearest the venue, so an order dispatched from I06 to I03 was claimed by I06's
 * volunteers; only the center brings in another town (shared/orders.ts ActingLevel).
 */
export async function candidates(
  s: Board,
  actor: DispatchActor,
  orderId: string,
  limit: number,
): Promise<Result<Candidate[]>> {
  const order = s.projection.get(orderId);
  if (!order) return fail(DispatchCode.notFound, `no order ${orderId}`);
  if (!canActOn(actor, order.instituteId))
    return fail(DispatchCode.forbidden, `order ${orderId} is outside ${actor.scope}`);
  const venue = s.nodes.get(order.venueId);
  if (!venue) return ok([]);
  const stations = [...s.nodes.values()]
    .filter((n) => n.level === 'station' && n.instituteId === order.instituteId)
    .map((n) => ({ n, d: n.id === order.stationId ? -1 : haversineM(venue, n) }))
    .sort((a, b) => a.d - b.d)
    .slice(0, NEAREST_STATIONS)
    .map(({ n }) => n);
  // A volunteer is where their last recent check-in was, not at home: two of one station differ,
  // and one who checked in next to the venue is a candidate whichever station they belong to.
  const now = s.now();
  const [atStations, out] = await Promise.all([
    volunteersAt(
      s.store,
      stations.map((n) => n.id),
      PER_STATION,
    ),
    checkedInSince(s.store, order.instituteId, now - CHECKIN_FRESH_MS, CHECKED_IN),
  ]);
  const rows = [...new Map([...atStations, ...out].map((r) => [r.id, r])).values()];
  const seen = new Map(
    (
      await lastCheckins(
        s.store,
        rows.map((r) => r.id),
        now - CHECKIN_FRESH_MS,
      )
    ).map((c) => [c.id, c]),
  );
  const inputs: CandidateInput[] = [];
  const teams = new Map<string, CandidateInput>();
  for (const row of rows) {
    s.volunteers.remember(row);
    const station = s.nodes.get(row.station_id);
    if (!station) continue;
    const v = s.volunteers.view(row.id);
    const last = seen.get(row.id);
    const scanned = last ? s.nodes.get(last.nodeId) : undefined;
    const at = candidatePosition(
      station,
      scanned && last ? { lat: scanned.lat, lon: scanned.lon, at: last.at } : null,
      now,
    );
    inputs.push({
      kind: 'volunteer',
      id: row.id,
      name: v.name,
      skills: row.skills,
      load: v.load,
      status: v.status,
      ...at,
    });
    // A team is called out at its station.
    const team = teams.get(row.team_id) ?? {
      kind: 'team' as const,
      id: row.team_id,
      name: row.team_id,
      skills: [],
      load: s.volunteers.load(row.team_id),
      status: 'available' as const,
      lat: station.lat,
      lon: station.lon,
      from: 'station' as const,
    };
    teams.set(row.team_id, { ...team, skills: [...new Set([...team.skills, ...row.skills])] });
  }
  return ok(rankCandidates(venue, categoryOf(order.title), [...inputs, ...teams.values()], limit));
}
