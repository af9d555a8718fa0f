/**
 * Dashboards as data: a layout is a list of panels on a grid at a design resolution, each panel a
 * type the wall knows how to draw, optionally fed by a named query (shared/queries/) with its
 * parameters, with thresholds that colour (and pulse) it (a panel's schema: shared/panels.ts). Files in dashboards/ are validated
 * against this schema at load; the server refuses to start on an invalid one.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { LabelSchema } from './label.js';
import { PanelFileSchema, PanelSchema } from './panels.js';

const dashboardOf = <P extends TSchema>(panel: P) =>
  Type.Object(
    {
      id: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }),
      title: LabelSchema,
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
      panels: Type.Array(panel, { minItems: 1, maxItems: 40 }),
    },
    { additionalProperties: false },
  );
/** A dashboard as screens receive it: every panel its type's member of the union (shared/panels.ts). */
export const DashboardSchema = dashboardOf(PanelSchema);
export type Dashboard = Static<typeof DashboardSchema>;
/** A dashboard file as first read, before each panel is checked against its type (server/dashboards/validate.ts). */
export const DashboardFileSchema = dashboardOf(PanelFileSchema);
export type DashboardFile = Static<typeof DashboardFileSchema>;

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
    title: LabelSchema,
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
  dashboards: Type.Array(Type.Object({ id: Type.String(), title: LabelSchema, scoped: Type.Boolean() })),
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
