/**
 * A panel of a dashboard: the fields every panel has (id, title, grid cell, thresholds) and, per
 * type, the one member of the union that says which named queries it may read and which options
 * it takes. A file's panel is checked against its type's member at load, so a component receives
 * `PanelOf<'trend'>` with its query's parameters and its options typed, never cast.
 */
import { Type, type Static, type TProperties } from 'typebox';
import { LabelSchema } from './label.js';
import { PANEL_OPTIONS } from './panel-options.js';
import { QUERY_NAMES, QUERY_PARAMS, type QueryName } from './queries/index.js';

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
  ordersClosure: 'orders-closure',
} as const;
export type PanelType = (typeof PanelType)[keyof typeof PanelType];

const Colour = Type.String({ pattern: '^#[0-9a-fA-F]{6}$' });
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

const common = {
  id: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }),
  title: LabelSchema,
  /** A short note at the right of the title strip (what the figure counts, its unit). */
  hint: Type.Optional(LabelSchema),
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
  thresholds: Type.Optional(Type.Array(ThresholdSchema, { maxItems: 8 })),
};

/** A named query a panel reads, with that query's own parameters. */
const queryOf = <Q extends QueryName>(name: Q) =>
  Type.Object({ name: Type.Literal(name), params: QUERY_PARAMS[name] }, { additionalProperties: false });

const member = <T extends PanelType, P extends TProperties>(type: T, props: P) =>
  Type.Object({ type: Type.Literal(type), ...common, ...props }, { additionalProperties: false });

/** One member per panel type: the queries it may name (none: it draws the live frame) and its options. */
export const PANEL_SCHEMAS = {
  kpi: member('kpi', { options: PANEL_OPTIONS.kpi }),
  map: member('map', { options: Type.Optional(PANEL_OPTIONS.map) }),
  heat: member('heat', { query: Type.Optional(queryOf('heat')), options: Type.Optional(PANEL_OPTIONS.heat) }),
  trend: member('trend', { query: Type.Optional(queryOf('trend')), options: Type.Optional(PANEL_OPTIONS.trend) }),
  ranking: member('ranking', {
    query: Type.Optional(Type.Union([queryOf('evaluation'), queryOf('brands.ranking')])),
    options: Type.Optional(PANEL_OPTIONS.ranking),
  }),
  feed: member('feed', { options: Type.Optional(PANEL_OPTIONS.feed) }),
  gauge: member('gauge', {
    query: Type.Optional(queryOf('appeals.categories')),
    options: Type.Optional(PANEL_OPTIONS.gauge),
  }),
  media: member('media', {
    query: Type.Optional(queryOf('media.propagation')),
    options: Type.Optional(PANEL_OPTIONS.media),
  }),
  'dispatch-summary': member('dispatch-summary', {
    query: Type.Optional(queryOf('dispatch.summary')),
    options: Type.Optional(PANEL_OPTIONS['dispatch-summary']),
  }),
  'orders-closure': member('orders-closure', {
    query: Type.Optional(queryOf('orders.closure')),
    options: Type.Optional(PANEL_OPTIONS['orders-closure']),
  }),
};

export const PanelSchema = Type.Union([
  PANEL_SCHEMAS.kpi,
  PANEL_SCHEMAS.map,
  PANEL_SCHEMAS.heat,
  PANEL_SCHEMAS.trend,
  PANEL_SCHEMAS.ranking,
  PANEL_SCHEMAS.feed,
  PANEL_SCHEMAS.gauge,
  PANEL_SCHEMAS.media,
  PANEL_SCHEMAS['dispatch-summary'],
  PANEL_SCHEMAS['orders-closure'],
]);
export type Panel = Static<typeof PanelSchema>;
export type PanelOf<T extends PanelType> = Static<(typeof PANEL_SCHEMAS)[T]>;

/**
 * The panel as a file is first read: any type, any query name, options of any shape. The loader
 * checks this first, then the query's parameters, then the type's member, so each mistake is named
 * at its own field (a union's error would only say that no member matched).
 */
export const PanelFileSchema = Type.Object(
  {
    ...common,
    type: Type.Enum(Object.values(PanelType)),
    query: Type.Optional(
      Type.Object({ name: Type.Enum(QUERY_NAMES), params: Type.Unknown() }, { additionalProperties: false }),
    ),
    options: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type PanelFile = Static<typeof PanelFileSchema>;
