/**
 * The citizens' front door (no account): a node's public page, 点单, 百姓点题, the tracking link and
 * the rating. One contract for the server's routes and the phone pages' forms, which check a body
 * with these schemas before sending it. Nothing here names a person: the citizen's phone goes in,
 * never out; a volunteer comes back masked.
 */
import { Type, type Static } from 'typebox';
import { ORDER_CATEGORIES, type OrderCategory } from './candidates.js';
import { AppealCategory, OrderState } from './events.js';
import { NodeLevelSchema } from './network.js';
import type { HistoryEntry } from './dispatch.js';
import { UTC_OFFSET_MS } from './time-zone.js';

export const PUBLIC_API = '/api/v1/public';
/** The tracking page; its token follows in the fragment (`/t#<token>`), never in a request line. */
export const TRACK_PATH = '/t';
/** The header the tracking page sends its token in (never a query string: those reach logs). */
export const TRACK_TOKEN_HEADER = 'x-track-token';
export const TRACK_NAMESPACE = '/track';
/** Who a public 点单 or rating is on the order's transitions (the console offers the citizen's phone for it). */
export const CITIZEN_NAME = '群众';

const strict = { additionalProperties: false } as const;
/** Free text a citizen writes: no control characters beyond newline and tab. Shown as text, never HTML. */
const Text = (minLength: number, maxLength: number) =>
  Type.String({ minLength, maxLength, pattern: '^[^\\u0000-\\u0008\\u000B-\\u001F\\u007F]*$' });
/** A mainland mobile (13812345678) or a landline with its area code (028-85551234). */
export const PhoneSchema = Type.String({ pattern: '^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$' });
const Ms = Type.Integer({ minimum: 1_262_304_000_000, maximum: 4_102_444_800_000 });

export const ServiceCategorySchema = Type.Enum([...ORDER_CATEGORIES]);

/**
 * A citizen's order is titled by its category in the words the console files it under
 * (shared/candidates.ts `categoryOf` reads them back), so the board shows it with its category and
 * the candidates are ranked by that skill; the citizen's own note stays off the title (and the wall).
 */
export const CATEGORY_TITLE: Readonly<Record<OrderCategory, string>> = {
  health: '医疗健康',
  elderly: '助老助残',
  tutoring: '课业辅导',
  counselling: '心理陪伴',
  lecture: '政策宣讲',
  science: '科普农技',
  law: '法律服务',
  environment: '环保清洁',
  emergency: '应急救援',
  culture: '文化文艺',
  other: '其他服务',
};

/** When the citizen wants the service: at most 12 h long, starting within the next 14 days. */
export const ServiceWindowSchema = Type.Object({ from: Ms, to: Ms }, strict);
export type ServiceWindow = Static<typeof ServiceWindowSchema>;
export const WINDOW_MAX_MS = 12 * 3_600_000;
export const WINDOW_AHEAD_MS = 14 * 86_400_000;
/** A window a phone built a moment ago may start a little in the past (the hour already begun). */
const WINDOW_SLACK_MS = 3_600_000;

/** Why a window cannot be served (a key the page translates); null when it can. */
export function windowProblem(w: ServiceWindow, now: number): 'order' | 'past' | 'long' | 'far' | null {
  if (w.to <= w.from) return 'order';
  if (w.to - w.from > WINDOW_MAX_MS) return 'long';
  if (w.to < now - WINDOW_SLACK_MS || w.from < now - WINDOW_SLACK_MS - WINDOW_MAX_MS) return 'past';
  if (w.from > now + WINDOW_AHEAD_MS) return 'far';
  return null;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** `12月08日 09:00–11:00` on the county's clock (the console reads it in the order's title). */
export function windowText(w: ServiceWindow): string {
  const a = new Date(w.from + UTC_OFFSET_MS);
  const b = new Date(w.to + UTC_OFFSET_MS);
  const day = (d: Date) => `${pad(d.getUTCMonth() + 1)}月${pad(d.getUTCDate())}日`;
  const hm = (d: Date) => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  const sameDay = day(a) === day(b);
  return `${day(a)} ${hm(a)}–${sameDay ? '' : `${day(b)} `}${hm(b)}`;
}

/** The order's title on the console: its category's words and when. */
export const citizenOrderTitle = (category: OrderCategory, w: ServiceWindow): string =>
  `${CATEGORY_TITLE[category]} · ${windowText(w)}`;

/** 群众点单 from a node's page. A retry with the same `commandId` finds the order it made. */
export const CitizenOrderBodySchema = Type.Object(
  {
    commandId: Type.String({ format: 'uuid' }),
    category: ServiceCategorySchema,
    window: ServiceWindowSchema,
    note: Text(0, 200),
    /** For the volunteer to call: kept on the server, shown unmasked only to the order's dispatchers. */
    phone: PhoneSchema,
  },
  strict,
);
export type CitizenOrderBody = Static<typeof CitizenOrderBodySchema>;

/** The answer to a 点单: the tracking token, shown once; the link is `PUBLIC_URL/t#<token>`. */
export const CitizenOrderAnswerSchema = Type.Object({ token: Type.String(), replayed: Type.Boolean() });
export type CitizenOrderAnswer = Static<typeof CitizenOrderAnswerSchema>;

/** 百姓点题: a question, complaint or suggestion about the node, counted with the wall's appeals. */
export const CitizenAppealBodySchema = Type.Object(
  {
    commandId: Type.String({ format: 'uuid' }),
    category: Type.Enum(Object.values(AppealCategory)),
    title: Text(2, 120),
    /** Optional: for a reply. */
    phone: Type.Optional(PhoneSchema),
  },
  strict,
);
export type CitizenAppealBody = Static<typeof CitizenAppealBodySchema>;
export const CitizenAppealAnswerSchema = Type.Object({ replayed: Type.Boolean() });

export const RatingBodySchema = Type.Object(
  {
    commandId: Type.String({ format: 'uuid' }),
    score: Type.Integer({ minimum: 1, maximum: 5 }),
    comment: Text(0, 200),
  },
  strict,
);
export type RatingBody = Static<typeof RatingBodySchema>;

export const SegmentParams = Type.Object({ segment: Type.String({ minLength: 1, maxLength: 80 }) });

export const MonthFiguresSchema = Type.Object({
  /** `2026-12`: the county's month so far. */
  month: Type.String(),
  activities: Type.Integer(),
  checkins: Type.Integer(),
  serviceHours: Type.Number(),
  ordersCompleted: Type.Integer(),
  appealsClosed: Type.Integer(),
});
export type MonthFigures = Static<typeof MonthFiguresSchema>;

export const PublicActivitySchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  startsAt: Type.Integer(),
  endsAt: Type.Integer(),
  /** Places left; null when the activity has no limit. */
  placesLeft: Type.Union([Type.Integer(), Type.Null()]),
});
export type PublicActivity = Static<typeof PublicActivitySchema>;

/** `GET /api/v1/public/nodes/:segment`: what anyone may know of a node — no person named. */
export const PublicNodeSchema = Type.Object({
  segment: Type.String(),
  name: Type.String(),
  level: NodeLevelSchema,
  /** The 所's (town's) name; '' for the center. */
  town: Type.String(),
  address: Type.String(),
  lat: Type.Number(),
  lon: Type.Number(),
  /** The town's (所's) area as a GeoJSON feature, for the page's small map; null for the center. */
  area: Type.Union([Type.Unknown(), Type.Null()]),
  /** 点单 is taken at a 站 or 点 (the dispatch flow starts at a venue). */
  orderable: Type.Boolean(),
  /** The service categories its volunteers offer, most offered first. */
  offers: Type.Array(ServiceCategorySchema),
  activities: Type.Array(PublicActivitySchema),
  figures: MonthFiguresSchema,
  /** PUBLIC_URL, where tracking links point; null = the page's own origin. */
  publicUrl: Type.Union([Type.String(), Type.Null()]),
});
export type PublicNode = Static<typeof PublicNodeSchema>;

/** The steps a citizen follows: 已点单 → 制单 → 派单 → 接单 → 服务中 → 完成. */
export const TRACK_STEPS = ['requested', 'accepted', 'dispatched', 'claimed', 'in_service', 'completed'] as const;
export type TrackStep = (typeof TRACK_STEPS)[number];

const STEP_OF: Readonly<Record<OrderState, TrackStep | null>> = {
  requested: 'requested',
  accepted_by_center: 'accepted',
  dispatched_institute: 'dispatched',
  dispatched_station: 'dispatched',
  claimed: 'claimed',
  in_service: 'in_service',
  completed: 'completed',
  rated: 'completed',
  rejected: null,
  cancelled: null,
  expired: null,
};
export const trackStepOf = (state: OrderState): TrackStep | null => STEP_OF[state];

/**
 * When each step was reached, from the order's transitions (oldest first): a step counts up to the
 * current one only, so an order sent back up a level (escalated) shows the later steps open again.
 * An order closed off the path (驳回, 取消, 超时) keeps the steps it reached before.
 */
export function stepTimes(
  history: readonly Pick<HistoryEntry, 'to' | 'at'>[],
  state: OrderState,
): { step: TrackStep; at: number | null }[] {
  const reached = new Map<TrackStep, number>();
  let current = -1;
  for (const h of history) {
    const step = STEP_OF[h.to];
    if (step === null) continue;
    current = TRACK_STEPS.indexOf(step);
    for (const s of TRACK_STEPS.slice(current + 1)) reached.delete(s);
    if (!reached.has(step)) reached.set(step, h.at);
  }
  const now = STEP_OF[state];
  const last = now === null ? current : TRACK_STEPS.indexOf(now);
  return TRACK_STEPS.map((step, i) => ({ step, at: i <= last ? (reached.get(step) ?? null) : null }));
}

export const TrackViewSchema = Type.Object({
  state: Type.Enum(Object.values(OrderState)),
  /** The step it is at; null when it closed off the path (state says how). */
  step: Type.Union([Type.Enum([...TRACK_STEPS]), Type.Null()]),
  steps: Type.Array(Type.Object({ step: Type.Enum([...TRACK_STEPS]), at: Type.Union([Type.Integer(), Type.Null()]) })),
  category: ServiceCategorySchema,
  window: ServiceWindowSchema,
  nodeName: Type.String(),
  segment: Type.String(),
  /** Who serves, masked (张*伟), or 'team' for a team; null before 接单. */
  volunteer: Type.Union([Type.String(), Type.Null()]),
  rating: Type.Union([Type.Object({ score: Type.Integer(), comment: Type.String() }), Type.Null()]),
  createdAt: Type.Integer(),
});
export type TrackView = Static<typeof TrackViewSchema>;

export interface TrackServerToClient {
  /** The order as it is now: on connect, then at every change. */
  'track:order': (view: TrackView) => void;
}
/** The tracking socket only listens. */
export type TrackClientToServer = Record<string, never>;
