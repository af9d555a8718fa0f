/** `dispatch.summary`: orders moved in the window, by the state their latest transition left them in (点单 → … → 完成). */
import { Type, type Static } from 'typebox';
import { TimeWindow } from './window.js';

export const DispatchSummaryParams = Type.Object(
  { window: Type.Enum([TimeWindow.h24, TimeWindow.d7, TimeWindow.d30]) },
  { additionalProperties: false },
);
export type DispatchSummaryParams = Static<typeof DispatchSummaryParams>;

/** How many orders are in one state. */
export interface StateCount {
  state: string;
  orders: number;
}
