/**
 * The bound parameters of the history statements (seed/history/*.sql): sizes from the county's
 * yearly figures (countyFacts, seed/counties.ts) × scale, the network as parallel arrays (venue i is venueIds[i], its institute
 * venueInstitutes[i], …), word lists, and the county's rhythm (seed/rhythm.ts) as sampling tables: which
 * of the year's 365 days and which hour an event falls on, and how activities and appeals are timed.
 */
import type { OrderState } from '../../shared/events.js';
import { HAPPY_PATH } from '../../shared/orders.js';
import type { Network } from '../../shared/network.js';
import type { Params } from '../../server/store/transport.js';
import { countyFacts } from '../counties.js';
import { DEFAULT_TIME_ZONE, UTC_OFFSET_MS } from '../../shared/time-zone.js';
import {
  ACTIVITY_TOPICS,
  APPEAL_TITLES,
  APPEAL_UNITS,
  brandsOf,
  ORDER_EXIT_REASONS,
  ORDER_SERVICES,
  townOf,
  townOffice,
} from '../names.js';
import { createRng, hashSeed } from '../../shared/random.js';
import {
  APPEAL_STEP_MIN,
  CHECKIN_WINDOW_MIN,
  CHECKOUT_WINDOW_MIN,
  dayFactor,
  DURATION_MIN,
  hourCdf,
  localMidnight,
  PARTICIPANTS,
  type Kind,
} from '../rhythm.js';
import { FLAGSHIP_SHARE } from '../brands.js';
import { randomCitizen, stationsOfNetwork } from '../volunteers.js';

/** Minutes an order waits in each state's step: [minimum, span); the request itself starts at 0. */
export const ORDER_GAPS: Readonly<Record<OrderState, [number, number]>> = {
  requested: [0, 1],
  accepted_by_center: [5, 55],
  dispatched_institute: [5, 25],
  dispatched_station: [10, 110],
  claimed: [10, 350],
  in_service: [60, 2820],
  completed: [60, 180],
  rated: [60, 2820],
  rejected: [10, 50],
  cancelled: [10, 1430],
  expired: [2880, 1],
};
/** The states an order passes on its way to 评价 (shared/orders.ts), kept importable from here for the seed's tests. */
export { HAPPY_PATH };

/** Half-width of one centred uniform in media.sql's z, and the log-normal σ. */
const Z_HALF_WIDTH = Math.sqrt(3) / 2;
const READS_SIGMA = 1.2;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Cumulative weight of day d = 0..364 back from today (day d starts at day0 − d days), by the
 * rhythm's weekday and activity-day factors; the last entry is exactly 1, above any draw.
 */
function dayCdfOf(kind: Kind, day0: number, timeZone: string): number[] {
  const weights = Array.from({ length: 365 }, (_, d) => dayFactor(kind, day0 - d * DAY_MS + DAY_MS / 2, timeZone));
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  return weights.map((w, d) => (d === 364 ? 1 : (acc += w) / total));
}

export function historyParams(network: Network, seed: number, scale: number, now: number, registered: number): Params {
  const stations = stationsOfNetwork(network);
  const stationIndex = new Map(stations.map((s, i) => [s.id, i]));
  const byId = new Map(network.nodes.map((n) => [n.id, n]));
  const venues = network.nodes.filter((n) => n.level === 'station' || n.level === 'point');
  const institutes = network.nodes.filter((n) => n.level === 'institute');
  const town = (instituteId: string | null): string => townOf(byId.get(instituteId ?? '')?.name ?? '');
  const center = network.nodes.find((n) => n.level === 'center');
  const { yearly } = countyFacts(network);
  const timeZone = network.county.timeZone ?? DEFAULT_TIME_ZONE;
  const day0 = localMidnight(now, timeZone);
  const dayCdf = (kind: Kind): number[] => dayCdfOf(kind, day0, timeZone);
  const appeals = Math.round(yearly.appealsReceived * scale);
  const articles = Math.round(yearly.articles * scale);
  // A pool a third the size of the appeals: some residents write more than once.
  const rng = createRng(hashSeed(seed, 0xc171));
  const citizens = Array.from({ length: Math.max(1, Math.round(appeals / 3)) }, () => randomCitizen(rng));
  // E[exp(σz)] for z = sum of four uniforms on ±h is (sinh(σh)/(σh))⁴, not exp(σ²/2).
  const mgf = Math.sinh(READS_SIGMA * Z_HALF_WIDTH) / (READS_SIGMA * Z_HALF_WIDTH);
  const brands = brandsOf(network);
  return {
    seed,
    now,
    tz: timeZone,
    utcOffsetMs: UTC_OFFSET_MS,
    day0,
    registered,
    stations: stations.length,
    activities: Math.round(yearly.activities * scale),
    appeals,
    appealsOpen: appeals - Math.round(yearly.appealsClosed * scale),
    orders: Math.round(yearly.orders * scale),
    articles,
    readsMu: Math.log(yearly.reads / yearly.articles) - 4 * Math.log(mgf),
    venueIds: venues.map((v) => v.id),
    venueInstitutes: venues.map((v) => v.instituteId ?? ''),
    venueInstituteNames: venues.map((v) => byId.get(v.instituteId ?? '')?.name ?? ''),
    venueTownOffices: venues.map((v) => townOffice(town(v.instituteId))),
    venueStations: venues.map((v) => stationIndex.get(v.level === 'station' ? v.id : (v.parentId ?? '')) ?? 0),
    stationIds: stations.map((s) => s.id),
    venueLats: venues.map((v) => v.lat),
    venueLons: venues.map((v) => v.lon),
    instituteIds: institutes.map((i) => i.id),
    instituteTowns: institutes.map((i) => town(i.id)),
    centerId: center?.id ?? 'C0',
    centerName: center?.name ?? '',
    countyName: network.county.name,
    activityDayCdf: dayCdf('activity'),
    appealDayCdf: dayCdf('appeal'),
    orderDayCdf: dayCdf('order'),
    publishDayCdf: dayCdf('publish'),
    participantsMin: PARTICIPANTS.min,
    participantsSpan: PARTICIPANTS.span,
    checkinBeforeMs: CHECKIN_WINDOW_MIN.before * MINUTE_MS,
    checkinSpanMs: CHECKIN_WINDOW_MIN.span * MINUTE_MS,
    checkoutBeforeMs: CHECKOUT_WINDOW_MIN.before * MINUTE_MS,
    checkoutSpanMs: CHECKOUT_WINDOW_MIN.span * MINUTE_MS,
    durationMinMs: DURATION_MIN.min * MINUTE_MS,
    durationSpanMs: DURATION_MIN.span * MINUTE_MS,
    stepMinMs: APPEAL_STEP_MIN.map(([min]) => min * MINUTE_MS),
    stepSpanMs: APPEAL_STEP_MIN.map(([, span]) => span * MINUTE_MS),
    activityCdf: hourCdf('activity'),
    appealCdf: hourCdf('appeal'),
    orderCdf: hourCdf('order'),
    publishCdf: hourCdf('publish'),
    readCdf: hourCdf('read'),
    topics: ACTIVITY_TOPICS,
    consultTitles: APPEAL_TITLES.consult,
    complaintTitles: APPEAL_TITLES.complaint,
    suggestionTitles: APPEAL_TITLES.suggestion,
    units: APPEAL_UNITS.map((u) => network.county.name + u),
    citizenNames: citizens.map((c) => c.name),
    citizenPhones: citizens.map((c) => c.phone),
    orderServices: ORDER_SERVICES,
    happyPath: HAPPY_PATH,
    gapStates: Object.keys(ORDER_GAPS),
    gapMin: Object.values(ORDER_GAPS).map(([min]) => min),
    gapSpan: Object.values(ORDER_GAPS).map(([, span]) => span),
    rejectedReason: ORDER_EXIT_REASONS.rejected,
    cancelledReason: ORDER_EXIT_REASONS.cancelled,
    expiredReason: ORDER_EXIT_REASONS.expired,
    brandIds: brands.map((b) => b.id),
    brandNames: brands.map((b) => b.name),
    brandInstitutes: brands.map((b) => b.instituteId),
    flagshipShare: FLAGSHIP_SHARE,
  };
}
