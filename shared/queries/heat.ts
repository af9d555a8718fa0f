/** `heat`: weighted points of demand for the map's heat layer. */
import { Type, type Static } from 'typebox';
import { AppealCategory } from '../events.js';
import { TimeWindow } from './window.js';

/** Demand on the heat layer: citizens' appeals, open service orders, or both. */
export const HeatSource = { appeals: 'appeals', orders: 'orders', all: 'all' } as const;
export type HeatSource = (typeof HeatSource)[keyof typeof HeatSource];

export const HeatParams = Type.Object(
  {
    window: Type.Enum([TimeWindow.h1, TimeWindow.h6, TimeWindow.h24]),
    source: Type.Enum(Object.values(HeatSource)),
    category: Type.Union([Type.Enum(Object.values(AppealCategory)), Type.Literal('all')]),
  },
  { additionalProperties: false },
);
export type HeatParams = Static<typeof HeatParams>;

/** One weighted point of demand: an appeal where it was made, or an open order at its venue. */
export interface HeatPoint {
  lat: number;
  lon: number;
  weight: number;
}
