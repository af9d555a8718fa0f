/**
 * Checks one dashboard file (or the playlists file) beyond JSON syntax: the file's shape
 * (DashboardFileSchema), each panel's query parameters against QUERY_PARAMS[name], the panel against
 * its type's member of the panel union (the queries it may name, its options), and the grid (every panel inside it, no two overlapping, ids unique). A problem names the file
 * and the field, e.g. `town.json: panels/3/query/params/window: …`, so whoever edited the file
 * finds the mistake without reading code. Pure: no I/O, unit-tested.
 */
import { Compile } from 'typebox/compile';
import { Type, type TSchema } from 'typebox';
import {
  DashboardFileSchema,
  PlaylistsFileSchema,
  type Dashboard,
  type DashboardFile,
  type Playlist,
} from '../../shared/dashboard.js';
import { PANEL_SCHEMAS, type PanelFile } from '../../shared/panels.js';
import { QUERY_PARAMS } from '../../shared/queries/index.js';

export class DashboardFileError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${file}: ${field || '(file)'}: ${problem}`);
    this.name = 'DashboardFileError';
  }
}

type Validator = ReturnType<typeof Compile<TSchema>>;
const compiled = new Map<TSchema, Validator>();
const validatorOf = (schema: TSchema): Validator => {
  let v = compiled.get(schema);
  if (!v) compiled.set(schema, (v = Compile(schema)));
  return v;
};

/** The first schema error under `at` as a DashboardFileError, or nothing when `value` conforms. */
function check(file: string, at: string, schema: TSchema, value: unknown): void {
  const validator = validatorOf(schema);
  if (validator.Check(value)) return;
  const [first] = validator.Errors(value);
  const path = `${at}${first?.instancePath ?? ''}`.replace(/^\//, '');
  // TypeBox words a field the schema does not know as "schema is false": say what it means.
  const message = first?.message === 'schema is false' ? 'no such field here (a typo?)' : first?.message;
  throw new DashboardFileError(file, path, message ?? 'invalid');
}

export function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DashboardFileError(file, '', `not JSON (${(error as Error).message})`);
  }
}

/** The query names a panel type's member accepts (none for a type drawn from the live frame). */
function queriesOf(member: TSchema): string[] {
  const names = (q: TSchema): string[] => {
    if (Type.IsUnion(q)) return q.anyOf.flatMap(names);
    const name = Type.IsObject(q) ? q.properties['name'] : undefined;
    return name && Type.IsLiteral(name) ? [String(name.const)] : [];
  };
  const query = Type.IsObject(member) ? member.properties['query'] : undefined;
  return query ? names(query) : [];
}

function checkPanel(file: string, grid: DashboardFile['grid'], panel: PanelFile, i: number, seen: Set<string>): void {
  const at = `/panels/${i}`;
  if (seen.has(panel.id)) throw new DashboardFileError(file, `panels/${i}/id`, `duplicate panel id ${panel.id}`);
  seen.add(panel.id);
  const member: TSchema = PANEL_SCHEMAS[panel.type];
  if (panel.query) {
    const params: TSchema = QUERY_PARAMS[panel.query.name];
    check(file, `${at}/query/params`, params, panel.query.params);
    const readable = queriesOf(member);
    if (!readable.includes(panel.query.name))
      throw new DashboardFileError(
        file,
        `panels/${i}/query/name`,
        readable.length === 0
          ? `a ${panel.type} panel reads no named query`
          : `a ${panel.type} panel reads ${readable.join(' or ')}, not ${panel.query.name}`,
      );
  }
  // The type's member: its options (a kpi panel's are required: it needs its keys).
  check(file, at, member, panel);
  const { x, y, w, h } = panel.grid;
  if (x + w > grid.columns || y + h > grid.rows)
    throw new DashboardFileError(file, `panels/${i}/grid`, `outside the ${grid.columns}×${grid.rows} grid`);
}

/** Two panels sharing a cell would be drawn on top of each other. */
function checkOverlap(file: string, panels: readonly PanelFile[]): void {
  panels.forEach((a, i) =>
    panels.slice(0, i).forEach((b) => {
      const apart =
        a.grid.x >= b.grid.x + b.grid.w ||
        b.grid.x >= a.grid.x + a.grid.w ||
        a.grid.y >= b.grid.y + b.grid.h ||
        b.grid.y >= a.grid.y + a.grid.h;
      if (!apart) throw new DashboardFileError(file, `panels/${i}/grid`, `overlaps panel ${b.id}`);
    }),
  );
}

/** Validates a dashboard file's text; `id` is the file's name, which the dashboard must carry. */
export function parseDashboard(file: string, id: string, text: string): Dashboard {
  const value = parseJson(file, text);
  check(file, '', DashboardFileSchema, value);
  const dashboard = value as DashboardFile;
  if (dashboard.id !== id) throw new DashboardFileError(file, 'id', `must be "${id}", the file's name`);
  const seen = new Set<string>();
  dashboard.panels.forEach((panel, i) => checkPanel(file, dashboard.grid, panel, i, seen));
  checkOverlap(file, dashboard.panels);
  // Every panel passed its type's member above: the file is a Dashboard.
  return dashboard as Dashboard;
}

/** Validates playlists.json; every item must name a dashboard that exists. */
export function parsePlaylists(file: string, text: string, dashboards: ReadonlySet<string>): Playlist[] {
  const value = parseJson(file, text);
  check(file, '', PlaylistsFileSchema, value);
  const { playlists } = value as { playlists: Playlist[] };
  playlists.forEach((playlist, p) =>
    playlist.items.forEach((item, i) => {
      if (!dashboards.has(item.dashboard))
        throw new DashboardFileError(file, `playlists/${p}/items/${i}/dashboard`, `no dashboard ${item.dashboard}`);
    }),
  );
  return playlists;
}
