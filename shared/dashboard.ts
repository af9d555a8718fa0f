/**
 * Dashboards as data: a layout is a list of panels on a grid at a design resolution, each panel a
 * type the wall knows how to draw, optionally fed by a named query (shared/queries/) with its
 * parameters, with thresholds that colour (and pulse) it. Files in dashboards/ are validated
 * against this schema at load; the server refuses to start on an invalid one.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { KPI_KEYS } from './kpi.js';
import { CRITERIA, EvaluationPeriod } from './evaluation.js';
import { QUERY_NAMES } from './queries/index.js';
import { TimeWindow } from './queries/window.js';

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
/** Open demand (orders + appeals) at a node from which the map marks it 需求集中 (default 3). */
const BusyAt = Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 }));
/** Text shown on the wall: an i18n key of the client's messages, or literal text per locale. */
export const LabelSchema = Type.Union([
  Type.String({ minLength: 1, maxLength: 80 }),
  Type.Object(
    { 'zh-CN': Type.String({ maxLength: 80 }), en: Type.String({ maxLength: 80 }) },
    { additionalProperties: false },
  ),
]);
const Label = LabelSchema;
export type Label = Static<typeof LabelSchema>;

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
    /** A short note at the right of the title strip (what the figure counts, its unit). */
    hint: Type.Optional(Label),
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
    /** Panel-type options, checked against PANEL_OPTIONS[type] at load (dashboards/README.md lists them). */
    options: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type Panel = Static<typeof PanelSchema>;

export const DashboardSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }),
    title: Label,
    /**
     * The design canvas, scaled to the screen by one factor on both axes. A spliced wall gets a
     * layout of its own by declaring its size: 5760×1080 for three 1920×1080 screens side by side
     * (up to 8K either way), with a grid to match (72×12 keeps 1920×1080's 80-pixel cells).
     */
    design: Type.Object(
      {
        width: Type.Integer({ minimum: 640, maximum: 7680 }),
        height: Type.Integer({ minimum: 360, maximum: 4320 }),
      },
      { additionalProperties: false },
    ),
    grid: Type.Object(
      { columns: Type.Integer({ minimum: 1, maximum: 96 }), rows: Type.Integer({ minimum: 1, maximum: 48 }) },
      { additionalProperties: false },
    ),
    /** A `town` dashboard is parameterized by institute: its scope comes from the screen. */
    scoped: Type.Optional(Type.Boolean()),
    /** Seconds after which a panel's data counts as stale (its freshness turns amber); default 120. */
    staleAfterS: Type.Optional(Type.Integer({ minimum: 5, maximum: 86_400 })),
    panels: Type.Array(PanelSchema, { minItems: 1, maxItems: 40 }),
  },
  { additionalProperties: false },
);
export type Dashboard = Static<typeof DashboardSchema>;

const KpiKeySchema = Type.Enum([...KPI_KEYS]);
const Accent = Type.Enum(['cyan', 'gold', 'green']);
const CycleS = Type.Optional(Type.Integer({ minimum: 5, maximum: 3600 }));

/**
 * Options of each panel type (additionalProperties false: a typo in a file is an error at load,
 * never a silently ignored option). Engineers adding an option add it here and to dashboards/README.md.
 */
export const PANEL_OPTIONS = {
  kpi: Type.Object(
    {
      /** The figures shown, one tile each, in order. */
      keys: Type.Array(KpiKeySchema, { minItems: 1, maxItems: 8 }),
      columns: Type.Optional(Type.Integer({ minimum: 1, maximum: 8 })),
      size: Type.Optional(Type.Enum(['md', 'lg'])),
      /** Label and number side by side: a single wide figure. */
      inline: Type.Optional(Type.Boolean()),
      accents: Type.Optional(Type.Array(Accent, { maxItems: 8 })),
      /** Day-over-day change under each figure that has one (kpi.compare); default true. */
      compare: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
  map: Type.Object(
    {
      legend: Type.Optional(Type.Boolean()),
      /** Whether the 500 m coverage layer starts on (off by default: the network and demand read first). */
      coverage: Type.Optional(Type.Boolean()),
      busyAt: BusyAt,
    },
    { additionalProperties: false },
  ),
  heat: Type.Object({ legend: Type.Optional(Type.Boolean()), busyAt: BusyAt }, { additionalProperties: false }),
  trend: Type.Object(
    {
      series: Type.Optional(Label),
      /** Windows offered by an on-screen switch (the query's window is the first shown). */
      windows: Type.Optional(Type.Array(Type.Enum(Object.values(TimeWindow)), { minItems: 1, maxItems: 5 })),
      /** Step through `windows` every so many seconds (a wall has no mouse). */
      cycleS: CycleS,
    },
    { additionalProperties: false },
  ),
  ranking: Type.Object(
    {
      /**
       * What is ranked: `evaluation` (一月一评估 of 所/站, the `evaluation` query), `towns` (所 by one
       * criterion), `brands` (`brands.ranking`), or `network` (institutes by stations and points).
       */
      of: Type.Optional(Type.Enum(['network', 'evaluation', 'towns', 'brands'])),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
      /** The figure ranked: `score` or a criterion (evaluation, towns); reads, activities or participants (brands). */
      metric: Type.Optional(Type.Enum(['score', ...CRITERIA, 'reads', 'articles'])),
      /** Periods offered by an on-screen switch (month, half-year, year). */
      periods: Type.Optional(Type.Array(Type.Enum(Object.values(EvaluationPeriod)), { minItems: 1, maxItems: 3 })),
      cycleS: CycleS,
    },
    { additionalProperties: false },
  ),
  feed: Type.Object(
    { rows: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 })) },
    { additionalProperties: false },
  ),
  gauge: Type.Object(
    {
      kpi: Type.Optional(Type.Enum(['appealClosureRate'])),
      /** The closure-rate target (0..1), ticked on the ring; default: the highest "below" threshold. */
      target: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    },
    { additionalProperties: false },
  ),
  media: Type.Object(
    { show: Type.Optional(Type.Enum(['both', 'brands', 'articles', 'activities', 'stats'])) },
    { additionalProperties: false },
  ),
  'dispatch-summary': Type.Object({}, { additionalProperties: false }),
} satisfies Record<PanelType, TSchema>;
export type PanelOptions<T extends PanelType> = Static<(typeof PANEL_OPTIONS)[T]>;

export const PlaylistItemSchema = Type.Object(
  {
    dashboard: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }),
    /** A town or station id; absent = the screen's own scope. */
    scope: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** `institute`: the item repeats once per town (所) of the network, in network order. */
    forEach: Type.Optional(Type.Literal('institute')),
    dwellS: Type.Integer({ minimum: 5, maximum: 3600 }),
  },
  { additionalProperties: false },
);
export type PlaylistItem = Static<typeof PlaylistItemSchema>;

export const PlaylistSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }),
    title: Label,
    items: Type.Array(PlaylistItemSchema, { minItems: 1, maxItems: 50 }),
  },
  { additionalProperties: false },
);
export type Playlist = Static<typeof PlaylistSchema>;
export const PlaylistsFileSchema = Type.Object(
  { playlists: Type.Array(PlaylistSchema, { maxItems: 50 }) },
  { additionalProperties: false },
);

/** `GET /api/dashboards`: what a screen (or an admin picking a kiosk URL) can show. */
export const DashboardListSchema = Type.Object({
  dashboards: Type.Array(Type.Object({ id: Type.String(), title: Label, scoped: Type.Boolean() })),
  playlists: Type.Array(PlaylistSchema),
});
export type DashboardList = Static<typeof DashboardListSchema>;

/** How the hot reload last saw a file of the dashboards directory. */
export const DashboardFileState = {
  /** Valid and in use. */
  valid: 'valid',
  /** The last edit failed validation: screens keep the last good definition (if there is one). */
  invalid: 'invalid',
  /** Deleted: screens keep the last good definition until the server restarts. */
  removed: 'removed',
} as const;
export type DashboardFileState = (typeof DashboardFileState)[keyof typeof DashboardFileState];

export const DashboardFileStatusSchema = Type.Object({
  file: Type.String(),
  state: Type.Enum(Object.values(DashboardFileState)),
  /** The field at fault (`panels/3/query/params/window`), empty for the file as a whole. */
  field: Type.String(),
  problem: Type.String(),
  /** Epoch ms the file was last read. */
  checkedAt: Type.Integer(),
  /** Whether screens still show a good definition of it (always true when valid). */
  inUse: Type.Boolean(),
});
export type DashboardFileStatus = Static<typeof DashboardFileStatusSchema>;

/** `GET /api/v1/admin/dashboards`: every file of the directory, by name. */
export const DashboardFilesSchema = Type.Object({ files: Type.Array(DashboardFileStatusSchema) });
export type DashboardFiles = Static<typeof DashboardFilesSchema>;
