/**
 * Dashboards as data: a layout is a list of panels on a grid at a design resolution, each panel a
 * type the wall knows how to draw, optionally fed by a named query (shared/queries.ts) with its
 * parameters, with thresholds that colour (and pulse) it. Files in dashboards/ are validated
 * against this schema at load; the server refuses to start on an invalid one.
 */
import { Type, type Static } from 'typebox';
import { QUERY_NAMES } from './queries.js';

export const PanelType = {
  kpi: 'kpi',
  map: 'map',
  heat: 'heat',
  trend: 'trend',
  ranking: 'ranking',
  feed: 'feed',
  gauge: 'gauge',
  media: 'media',
  dispatchSummary: 'dispatch-summary',
} as const;
export type PanelType = (typeof PanelType)[keyof typeof PanelType];

const Colour = Type.String({ pattern: '^#[0-9a-fA-F]{6}$' });
/** Text shown on the wall: an i18n key of the client's messages, or literal text per locale. */
const Label = Type.Union([
  Type.String({ minLength: 1, maxLength: 80 }),
  Type.Object(
    { 'zh-CN': Type.String({ maxLength: 80 }), en: Type.String({ maxLength: 80 }) },
    { additionalProperties: false },
  ),
]);

export const ThresholdSchema = Type.Object(
  {
    /** The figure at or above which (or below, with `below`) the rule applies. */
    value: Type.Number(),
    below: Type.Optional(Type.Boolean()),
    colour: Colour,
    pulse: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type Threshold = Static<typeof ThresholdSchema>;

export const PanelSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }),
    type: Type.Enum(Object.values(PanelType)),
    title: Label,
    /** Grid cell of the panel's top-left corner and its size, in grid units. */
    grid: Type.Object(
      {
        x: Type.Integer({ minimum: 0 }),
        y: Type.Integer({ minimum: 0 }),
        w: Type.Integer({ minimum: 1 }),
        h: Type.Integer({ minimum: 1 }),
      },
      { additionalProperties: false },
    ),
    /** A named panel query and its parameters (validated against the query's own schema at load). */
    query: Type.Optional(
      Type.Object({ name: Type.Enum(QUERY_NAMES), params: Type.Unknown() }, { additionalProperties: false }),
    ),
    thresholds: Type.Optional(Type.Array(ThresholdSchema, { maxItems: 8 })),
    /** Panel-type options (which KPI keys, how many rows, units …), documented with each panel type. */
    options: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type Panel = Static<typeof PanelSchema>;

export const DashboardSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }),
    title: Label,
    /** The design canvas; the wall scales it to the screen (fit or fill). */
    design: Type.Object(
      { width: Type.Integer({ minimum: 640 }), height: Type.Integer({ minimum: 360 }) },
      { additionalProperties: false },
    ),
    grid: Type.Object(
      { columns: Type.Integer({ minimum: 1, maximum: 48 }), rows: Type.Integer({ minimum: 1, maximum: 48 }) },
      { additionalProperties: false },
    ),
    /** A `town` dashboard is parameterized by institute: its scope comes from the screen. */
    scoped: Type.Optional(Type.Boolean()),
    panels: Type.Array(PanelSchema, { minItems: 1, maxItems: 40 }),
  },
  { additionalProperties: false },
);
export type Dashboard = Static<typeof DashboardSchema>;
