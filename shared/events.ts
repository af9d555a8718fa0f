/**
 * The event model: everything that streams. One schema serves the HTTP ingest body, the socket
 * ingest payload and the client. Every event has a globally unique id (idempotent re-send), a node
 * id and a timestamp (epoch milliseconds).
 */
import { Type, type Static } from 'typebox';

export const AppealCategory = { consult: 'consult', complaint: 'complaint', suggestion: 'suggestion' } as const;
export type AppealCategory = (typeof AppealCategory)[keyof typeof AppealCategory];

export const VolunteerStatus = {
  available: 'available',
  assigned: 'assigned',
  en_route: 'en_route',
  serving: 'serving',
  off_duty: 'off_duty',
} as const;
export type VolunteerStatus = (typeof VolunteerStatus)[keyof typeof VolunteerStatus];

/** Order states of 群众点单 → 中心制单 → 层层派单 → 志愿者接单 (see DESIGN.md). */
export const OrderState = {
  requested: 'requested',
  accepted_by_center: 'accepted_by_center',
  dispatched_institute: 'dispatched_institute',
  dispatched_station: 'dispatched_station',
  claimed: 'claimed',
  in_service: 'in_service',
  completed: 'completed',
  rated: 'rated',
  rejected: 'rejected',
  cancelled: 'cancelled',
  expired: 'expired',
} as const;
export type OrderState = (typeof OrderState)[keyof typeof OrderState];

export const EventType = {
  checkin: 'checkin',
  checkout: 'checkout',
  volunteerStatus: 'volunteer.status',
  appealReceived: 'appeal.received',
  appealAssigned: 'appeal.assigned',
  appealReplied: 'appeal.replied',
  appealClosed: 'appeal.closed',
  order: 'order.transition',
  mediaPublished: 'media.published',
  mediaRead: 'media.read',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
const Text = (maxLength: number) => Type.String({ maxLength });

const envelope = {
  /** Globally unique; a re-sent event with the same id is a duplicate, never counted twice. */
  id: Type.String({ format: 'uuid' }),
  nodeId: Id,
  /** Epoch milliseconds. */
  ts: Type.Integer({ minimum: 1_262_304_000_000, maximum: 4_102_444_800_000 }),
};
const strict = { additionalProperties: false } as const;

export const CheckinEventSchema = Type.Object(
  {
    ...envelope,
    type: Type.Literal(EventType.checkin),
    volunteerId: Id,
    activityId: Id,
    volunteerName: Text(32),
    /**
     * Whether the phone stood within 500 m of the node when it scanned (shared/activities.ts NEAR_M);
     * absent when it gave no position, and on devices' and older events.
     */
    near: Type.Optional(Type.Boolean()),
  },
  strict,
);
export const CheckoutEventSchema = Type.Object(
  {
    ...envelope,
    type: Type.Literal(EventType.checkout),
    volunteerId: Id,
    activityId: Id,
    volunteerName: Text(32),
    /** Service hours credited by this check-out. */
    hours: Type.Number({ minimum: 0, maximum: 24 }),
  },
  strict,
);
export const VolunteerStatusEventSchema = Type.Object(
  {
    ...envelope,
    type: Type.Literal(EventType.volunteerStatus),
    volunteerId: Id,
    status: Type.Enum(Object.values(VolunteerStatus)),
  },
  strict,
);
export const AppealReceivedEventSchema = Type.Object(
  {
    ...envelope,
    type: Type.Literal(EventType.appealReceived),
    appealId: Id,
    category: Type.Enum(Object.values(AppealCategory)),
    title: Text(120),
    citizenName: Text(32),
    citizenPhone: Type.String({ maxLength: 20, pattern: '^[0-9+ -]*$' }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
  },
  strict,
);
export const AppealStepEventSchema = Type.Object(
  {
    ...envelope,
    type: Type.Enum([EventType.appealAssigned, EventType.appealReplied, EventType.appealClosed]),
    appealId: Id,
    actor: Text(64),
  },
  strict,
);
export const OrderEventSchema = Type.Object(
  {
    ...envelope,
    type: Type.Literal(EventType.order),
    orderId: Id,
    from: Type.Union([Type.Enum(Object.values(OrderState)), Type.Null()]),
    to: Type.Enum(Object.values(OrderState)),
    /** The order's version after this transition (1 for the request). */
    version: Type.Integer({ minimum: 1, maximum: 4_294_967_295 }),
    actor: Text(64),
    volunteerId: Type.Union([Id, Type.Null()]),
    reason: Text(200),
  },
  strict,
);
export const MediaPublishedEventSchema = Type.Object(
  {
    ...envelope,
    type: Type.Literal(EventType.mediaPublished),
    articleId: Id,
    title: Text(120),
    activityId: Type.Union([Id, Type.Null()]),
    brandId: Type.Union([Id, Type.Null()]),
  },
  strict,
);
export const MediaReadEventSchema = Type.Object(
  {
    ...envelope,
    type: Type.Literal(EventType.mediaRead),
    articleId: Id,
    /** Reads counted since the previous report for this article. */
    reads: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
    shares: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
  },
  strict,
);

export const PracticeEventSchema = Type.Union([
  CheckinEventSchema,
  CheckoutEventSchema,
  VolunteerStatusEventSchema,
  AppealReceivedEventSchema,
  AppealStepEventSchema,
  OrderEventSchema,
  MediaPublishedEventSchema,
  MediaReadEventSchema,
]);
export type PracticeEvent = Static<typeof PracticeEventSchema>;
export type CheckinEvent = Static<typeof CheckinEventSchema>;
export type AppealReceivedEvent = Static<typeof AppealReceivedEventSchema>;

/** Most events one ingest request (HTTP body or socket batch) may carry. */
export const MAX_BATCH = 10_000;

export const IngestItemStatus = { accepted: 'accepted', duplicate: 'duplicate', rejected: 'rejected' } as const;
export type IngestItemStatus = (typeof IngestItemStatus)[keyof typeof IngestItemStatus];

export const IngestItemResultSchema = Type.Object({
  id: Type.Union([Type.String(), Type.Null()]),
  status: Type.Enum(Object.values(IngestItemStatus)),
  code: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
});
export const IngestResultSchema = Type.Object({
  accepted: Type.Integer(),
  duplicate: Type.Integer(),
  rejected: Type.Integer(),
  items: Type.Array(IngestItemResultSchema),
});
export type IngestItemResult = Static<typeof IngestItemResultSchema>;
export type IngestResult = Static<typeof IngestResultSchema>;
