/**
 * The wire of activities: what an organiser publishes from the console, what the console and the
 * phone list, and the phone's sign-up and scan bodies. TypeBox schemas shared by the server's
 * routes and the client's forms; the rules behind them are in activities.ts.
 */
import { Type, type Static } from 'typebox';
import { ActivityStatus, MAX_CAPACITY } from './activities.js';
import { ORDER_CATEGORIES } from './candidates.js';

const NodeId = Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_.-]+$' });
/** Activity ids: `PA-…` (published here), never an id the history or the simulator gives (`ACT-…`). */
export const ActivityIdSchema = Type.String({ pattern: '^PA-[a-z0-9]{6,24}$' });
const Instant = Type.Integer({ minimum: 1_262_304_000_000, maximum: 4_102_444_800_000 });

export const ActivityPublishSchema = Type.Object(
  {
    title: Type.String({ minLength: 2, maxLength: 60 }),
    category: Type.Enum([...ORDER_CATEGORIES]),
    nodeId: NodeId,
    startsAt: Instant,
    endsAt: Instant,
    capacity: Type.Integer({ minimum: 1, maximum: MAX_CAPACITY }),
    /** A brand id (B001…) or '' for none. */
    brandId: Type.String({ maxLength: 16, pattern: '^(B[0-9]{3,4})?$' }),
  },
  { additionalProperties: false },
);
export type ActivityPublish = Static<typeof ActivityPublishSchema>;

const activityFields = {
  id: ActivityIdSchema,
  title: Type.String(),
  category: Type.String(),
  nodeId: Type.String(),
  instituteId: Type.String(),
  startsAt: Type.Integer(),
  endsAt: Type.Integer(),
  capacity: Type.Integer(),
  brandId: Type.String(),
  status: Type.Enum(Object.values(ActivityStatus)),
  /** Places held by sign-ups. */
  signedUp: Type.Integer({ minimum: 0 }),
  checkedIn: Type.Integer({ minimum: 0 }),
  checkedOut: Type.Integer({ minimum: 0 }),
};

/** An activity as the console lists it. */
export const ActivityViewSchema = Type.Object(activityFields);
export type ActivityView = Static<typeof ActivityViewSchema>;
export const ActivityListSchema = Type.Object({
  activities: Type.Array(ActivityViewSchema),
  /** Brands an organiser may name (id and name as their articles print it). */
  brands: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
});
export type ActivityList = Static<typeof ActivityListSchema>;

/** My place on an activity, as the phone shows it. */
export const MyStep = { none: 'none', signed: 'signed', checked_in: 'checked_in', checked_out: 'checked_out' } as const;
export type MyStep = (typeof MyStep)[keyof typeof MyStep];

export const MyActivitySchema = Type.Object({
  ...activityFields,
  nodeName: Type.String(),
  /** Held at my own station (or a point of it): listed first. */
  atMyStation: Type.Boolean(),
  mine: Type.Enum(Object.values(MyStep)),
  /** Hours credited by my check-out; 0 before. */
  hours: Type.Number(),
});
export type MyActivity = Static<typeof MyActivitySchema>;
export const MyActivitiesSchema = Type.Object({ activities: Type.Array(MyActivitySchema) });
export type MyActivities = Static<typeof MyActivitiesSchema>;

export const ActivityParamsSchema = Type.Object({ id: ActivityIdSchema }, { additionalProperties: false });

/**
 * A scan of a node's code: the event id and time are made on the phone when scanned, so a scan
 * queued offline and sent twice is one check-in (ingest deduplicates by event id).
 */
export const ScanBodySchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    nodeId: NodeId,
    action: Type.Enum(['checkin', 'checkout']),
    at: Instant,
    /** The phone's position when it gave one; null when location was refused or unavailable. */
    position: Type.Union([
      Type.Object(
        { lat: Type.Number({ minimum: -90, maximum: 90 }), lon: Type.Number({ minimum: -180, maximum: 180 }) },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
  },
  { additionalProperties: false },
);
export type ScanBody = Static<typeof ScanBodySchema>;

export const ScanResultSchema = Type.Object({
  /** The event this scan stands as (the phone's id, or the earlier scan's when it repeats one). */
  eventId: Type.String(),
  outcome: Type.Enum(['checkin', 'checkout', 'already']),
  activityId: Type.String(),
  title: Type.String(),
  hours: Type.Number(),
  /** Whether the phone stood within 500 m of the node; null when it gave no position. */
  near: Type.Union([Type.Boolean(), Type.Null()]),
  distanceM: Type.Union([Type.Number(), Type.Null()]),
  checkedIn: Type.Integer(),
  capacity: Type.Integer(),
});
export type ScanResult = Static<typeof ScanResultSchema>;
