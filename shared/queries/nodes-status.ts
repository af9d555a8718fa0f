/** `nodes.status`: live figures of every node in scope (the map's colours, its popups). */
import { Type, type Static } from 'typebox';
import { TimeWindow } from './window.js';

/** `window` bounds the check-ins counted. */
export const NodesStatusParams = Type.Object(
  { window: Type.Enum([TimeWindow.h1, TimeWindow.h6, TimeWindow.h24]) },
  { additionalProperties: false },
);
export type NodesStatusParams = Static<typeof NodesStatusParams>;

/** A node's live figures; nodes with nothing going on are left out of the answer. */
export interface NodeStatus {
  id: string;
  /** Volunteers checked in and not yet out (today). */
  active: number;
  /** Check-ins within the window. */
  checkins: number;
  /** Orders requested here and not yet closed. */
  openOrders: number;
  /** Appeals made here (last 7 days) and not yet closed. */
  openAppeals: number;
  /** Of those, orders past their state's SLA and appeals open longer than their category's APPEAL_DUE_MS. */
  overdue: number;
}
