/**
 * `orders.closure` (各所点单办结率): of the orders citizens requested (群众点单) in the window, how many
 * are done (办结: completed, or completed and rated), per 所 — or, inside a town, per 站.
 */
import { Type, type Static } from 'typebox';
import type { OrderState } from '../events.js';
import { CLOSED_STATES, HAPPY_PATH } from '../orders.js';
import { TimeWindow } from './window.js';

export const OrdersClosureParams = Type.Object(
  { window: Type.Enum([TimeWindow.d7, TimeWindow.d30]) },
  { additionalProperties: false },
);
export type OrdersClosureParams = Static<typeof OrdersClosureParams>;

/** Done (办结): the closed states on the happy path; the side exits (驳回, 取消, 超时) are not. */
export const DONE_STATES: readonly OrderState[] = CLOSED_STATES.filter((s) => HAPPY_PATH.includes(s));

export interface ClosureRow {
  /** The 所 (at the district) or 站 (inside a town) the orders were requested at. */
  id: string;
  name: string;
  requested: number;
  /** Of those, done by now. */
  done: number;
}
