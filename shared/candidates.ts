/**
 * Who should take an order: volunteers and teams near it, ranked by distance, skills and current
 * load. Pure; the server feeds it registry rows and live loads, the dispatcher UI shows the ranking.
 */
import type { VolunteerStatus } from './events.js';
import type { AssigneeKind } from './orders.js';

export interface LatLon {
  lat: number;
  lon: number;
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number): number => (deg * Math.PI) / 180;

/** Great-circle distance in metres (haversine). */
export function haversineM(a: LatLon, b: LatLon): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Volunteer skills (专业队 specialities), stable keys the client translates. The seed draws from
 * this list by index, so its order is part of the generated data.
 */
export const SKILLS = [
  'lecture', // 理论宣讲
  'culture', // 文化文艺
  'health', // 医疗健身
  'science', // 科学普及
  'law', // 法律服务
  'elderly', // 助老助残
  'environment', // 生态环保
  'emergency', // 应急救援
  'counselling', // 心理疏导
  'tutoring', // 教育辅导
] as const;
export type Skill = (typeof SKILLS)[number];

/** The skill (专业队 speciality) a service order needs, by its title's words; '' when none fits. */
const SKILL_WORDS: readonly (readonly [RegExp, Skill])[] = [
  [/医|药|健康|义诊/, 'health'],
  [/老人|助老|助残|理发|代购|维修/, 'elderly'],
  [/课业|辅导|儿童|学/, 'tutoring'],
  [/心理|陪伴/, 'counselling'],
  [/政策|宣讲|讲解/, 'lecture'],
  [/农技|科普|科学/, 'science'],
  [/法律/, 'law'],
  [/环保|清洁|垃圾/, 'environment'],
  [/应急|救援|救护/, 'emergency'],
  [/文艺|文化|演出/, 'culture'],
];

/** An order's category: the skill its title names, `other` (shown for '') when none fits. */
export type OrderCategory = Skill | 'other';
/** Categories in the order the console lists them: as the title words are tried, then `other`. */
export const ORDER_CATEGORIES: readonly OrderCategory[] = [...SKILL_WORDS.map(([, skill]) => skill), 'other'];

export function categoryOf(title: string): Skill | '' {
  for (const [words, skill] of SKILL_WORDS) if (words.test(title)) return skill;
  return '';
}

/**
 * A check-in this recent places a volunteer at the node they scanned (for the candidates' distance
 * and the team board's 位置); an older one says nothing of where they are now, so their home station does.
 */
export const CHECKIN_FRESH_MS = 4 * 3_600_000;

/** Where a candidate's distance is measured from: their last check-in, or their home station (所在站). */
export type PositionSource = 'checkin' | 'station';

/** A volunteer's position at `now`: the last check-in's node when within CHECKIN_FRESH_MS, else home. */
export function candidatePosition(
  home: LatLon,
  checkin: (LatLon & { at: number }) | null,
  now: number,
): LatLon & { from: PositionSource } {
  if (checkin && now - checkin.at <= CHECKIN_FRESH_MS) return { lat: checkin.lat, lon: checkin.lon, from: 'checkin' };
  return { lat: home.lat, lon: home.lon, from: 'station' };
}

export interface CandidateInput extends LatLon {
  /** What lat/lon are: the last check-in's node, or the home station. */
  from: PositionSource;
  kind: AssigneeKind;
  id: string;
  name: string;
  skills: readonly string[];
  /** Open orders on the candidate now. */
  load: number;
  status: VolunteerStatus;
}

export interface RankedCandidate {
  kind: AssigneeKind;
  id: string;
  name: string;
  distanceM: number;
  from: PositionSource;
  skillMatch: number;
  load: number;
  status: VolunteerStatus;
  score: number;
}

/** Weights of the three factors; they sum to 1, so a score is between 0 and 1. */
export const CANDIDATE_WEIGHTS = { distance: 0.5, skills: 0.3, load: 0.2 } as const;
/** Distance at which the distance factor halves: the "500 m practice circle" doubled. */
const HALF_SCORE_M = 1_000;

/** One candidate's score: near, skilled and idle is best. */
export function scoreCandidate(distanceM: number, skillMatch: number, load: number): number {
  const near = 1 / (1 + distanceM / HALF_SCORE_M);
  const idle = 1 / (1 + Math.max(0, load));
  return CANDIDATE_WEIGHTS.distance * near + CANDIDATE_WEIGHTS.skills * skillMatch + CANDIDATE_WEIGHTS.load * idle;
}

/**
 * Ranks candidates for an order at `where` needing `category` (all skills match when ''). Off-duty
 * volunteers are left out; ties go to the nearer, then the id, so the order is stable.
 */
export function rankCandidates(
  where: LatLon,
  category: string,
  candidates: readonly CandidateInput[],
  limit = 20,
): RankedCandidate[] {
  return candidates
    .filter((c) => c.status !== 'off_duty')
    .map((c) => {
      const distanceM = haversineM(where, c);
      const skillMatch = category === '' || c.skills.includes(category) ? 1 : 0;
      return {
        kind: c.kind,
        id: c.id,
        name: c.name,
        distanceM: Math.round(distanceM),
        from: c.from,
        skillMatch,
        load: c.load,
        status: c.status,
        score: scoreCandidate(distanceM, skillMatch, c.load),
      };
    })
    .sort((a, b) => b.score - a.score || a.distanceM - b.distanceM || a.id.localeCompare(b.id))
    .slice(0, Math.max(0, limit));
}
