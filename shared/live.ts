/**
 * The `/live` socket contract: one typed map used by the server (socket.io) and the client
 * (socket.io-client). A snapshot carries a sequence number; every tick carries the next one, so a
 * client that sees a gap asks for a resync.
 */
import { Type, type Static } from 'typebox';
import type { Dashboard } from './dashboard.js';
import type { EmergencyState } from './emergency.js';
import type { WallMeeting } from './meeting.js';
import { KpiSnapshotSchema } from './kpi.js';
import { QuerySubscribeSchema, type QuerySubscribe, type QueryUpdate } from './queries/index.js';
import type { Result } from './result.js';
import type { ScreenReport } from './screens.js';

export const TrendPointSchema = Type.Object({
  /** Start of the minute, epoch ms. */
  t: Type.Integer(),
  checkins: Type.Integer(),
});
export type TrendPoint = Static<typeof TrendPointSchema>;

/** A line on the live scroll board. Personal data is already masked for the receiving screen. */
export const FeedItemSchema = Type.Object({
  id: Type.String(),
  type: Type.String(),
  ts: Type.Integer(),
  nodeId: Type.String(),
  nodeName: Type.String(),
  /** Who: a volunteer or citizen name, masked on public screens. */
  who: Type.String(),
  /** What: an appeal or article title; empty when the type and tag say it all. */
  what: Type.String(),
  /** The order state or appeal category, for the screen to name in its own language. */
  tag: Type.String(),
});
export type FeedItem = Static<typeof FeedItemSchema>;

export const LiveSnapshotSchema = Type.Object({
  seq: Type.Integer(),
  kpi: KpiSnapshotSchema,
  /** Check-ins per minute, the last 60 minutes, oldest first. */
  trend: Type.Array(TrendPointSchema),
  /** Newest first. */
  feed: Type.Array(FeedItemSchema),
});
export type LiveSnapshot = Static<typeof LiveSnapshotSchema>;

/** One frame per hub tick, however many events arrived in it. */
export const LiveTickSchema = Type.Object({
  seq: Type.Integer(),
  kpi: KpiSnapshotSchema,
  /** Minutes whose count changed, oldest first. */
  trend: Type.Array(TrendPointSchema),
  /** New items, newest first. */
  feed: Type.Array(FeedItemSchema),
});
export type LiveTick = Static<typeof LiveTickSchema>;

/** Panels one replay read evaluates at most: more than any dashboard shows, few enough to bound the work. */
export const REPLAY_MAX_PANELS = 32;

/**
 * 回放 (shared/replay.ts): the county as it was at `at`, for a wall that left the live frames. Each
 * request is a panel's subscription as on `live:subscribe`, with the wall's own id for it.
 */
export const ReplayReadSchema = Type.Object(
  {
    at: Type.Integer({ minimum: 0, maximum: 8_640_000_000_000 }),
    panels: Type.Array(
      Type.Object(
        { id: Type.String({ maxLength: 512 }), ...QuerySubscribeSchema.properties },
        { additionalProperties: false },
      ),
      {
        maxItems: REPLAY_MAX_PANELS,
      },
    ),
  },
  { additionalProperties: false },
);
export type ReplayRead = Static<typeof ReplayReadSchema>;

/** One replayed moment: the core frame as a snapshot (its `seq` is 0: replay frames have no sequence) and each panel's result or refusal. */
export interface ReplayFrame {
  at: number;
  snapshot: LiveSnapshot;
  panels: { id: string; data?: unknown; error?: string }[];
}

export interface LiveServerToClient {
  'live:snapshot': (snapshot: LiveSnapshot) => void;
  'live:tick': (tick: LiveTick) => void;
  /** A subscribed panel query's new result, or only its new `asOf` when unchanged. */
  'live:query': (update: QueryUpdate) => void;
  /** A dashboard file was edited (and is valid): screens showing it re-lay at once. */
  'live:dashboard': (dashboard: Dashboard) => void;
  /** Emergency mode on or off; also sent to every screen as it connects. */
  'live:mode': (mode: EmergencyState) => void;
  /** Meeting control: the screen's group is driven from a tablet, or free again (shared/meeting.ts). */
  'live:meeting': (state: WallMeeting) => void;
}
export interface LiveClientToServer {
  'live:resync': (ack: (result: Result<LiveSnapshot>) => void) => void;
  /** Watch a panel query (shared/queries/); the ack carries its key and current result. */
  'live:subscribe': (request: QuerySubscribe, ack: (result: Result<QueryUpdate>) => void) => void;
  'live:unsubscribe': (key: string) => void;
  /** A wall says which dashboard it shows and which build it runs (shared/screens.ts), for the admin console. */
  'live:screen': (report: ScreenReport) => void;
  /** 回放: the first read leaves this screen's live rooms; the wall reconnects to go back to live. */
  'replay:read': (read: ReplayRead, ack: (result: Result<ReplayFrame>) => void) => void;
}

export const LIVE_NAMESPACE = '/live';
export const TREND_MINUTES = 60;
export const FEED_LENGTH = 30;
