/**
 * Loads the dashboards directory: one `<id>.json` per dashboard and an optional `playlists.json`.
 * At start every problem in every file is collected and the start stops with all of them named;
 * the `emergency` dashboard must exist (emergency mode switches every wall to it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DashboardFileState, type Dashboard, type DashboardFileStatus, type Playlist } from '../../shared/dashboard.js';
import { EMERGENCY_DASHBOARD } from '../../shared/emergency.js';
import { DashboardFileError, parseDashboard, parsePlaylists } from './validate.js';

export const PLAYLISTS_FILE = 'playlists.json';

export interface DashboardSet {
  dashboards: Map<string, Dashboard>;
  playlists: Playlist[];
  /** Each file as the last read saw it, by file name (the admin console's view of the hot reload). */
  files: Map<string, DashboardFileStatus>;
}

/** Records a file read cleanly. */
export function markValid(set: DashboardSet, file: string, now = Date.now()): void {
  set.files.set(file, { file, state: DashboardFileState.valid, field: '', problem: '', checkedAt: now, inUse: true });
}

/** Records a file whose edit was ignored (invalid) or that was deleted; screens may keep its last good version. */
export function markIgnored(
  set: DashboardSet,
  file: string,
  state: 'invalid' | 'removed',
  problem: { field: string; problem: string },
  now = Date.now(),
): void {
  const inUse = file === PLAYLISTS_FILE ? set.playlists.length > 0 : set.dashboards.has(idOf(file));
  set.files.set(file, { file, state, field: problem.field, problem: problem.problem, checkedAt: now, inUse });
}

export class DashboardsInvalidError extends Error {
  constructor(
    readonly dir: string,
    readonly problems: DashboardFileError[],
  ) {
    super(`invalid dashboards in ${dir}:\n  ${problems.map((p) => p.message).join('\n  ')}`);
    this.name = 'DashboardsInvalidError';
  }
}

/** Dashboard files of the directory: JSON files other than the playlists. */
export const isDashboardFile = (name: string): boolean => name.endsWith('.json') && name !== PLAYLISTS_FILE;
export const idOf = (name: string): string => basename(name, '.json');

export function readDashboard(dir: string, name: string): Dashboard {
  return parseDashboard(name, idOf(name), readFileSync(join(dir, name), 'utf8'));
}

export function readPlaylists(dir: string, dashboards: ReadonlySet<string>): Playlist[] {
  let text: string;
  try {
    text = readFileSync(join(dir, PLAYLISTS_FILE), 'utf8');
  } catch {
    return [];
  }
  return parsePlaylists(PLAYLISTS_FILE, text, dashboards);
}

export function loadDashboards(dir: string): DashboardSet {
  const problems: DashboardFileError[] = [];
  const dashboards = new Map<string, Dashboard>();
  const names = readdirSync(dir).filter(isDashboardFile).sort();
  for (const name of names) {
    try {
      dashboards.set(idOf(name), readDashboard(dir, name));
    } catch (error) {
      if (!(error instanceof DashboardFileError)) throw error;
      problems.push(error);
    }
  }
  if (!names.includes(`${EMERGENCY_DASHBOARD}.json`))
    problems.push(new DashboardFileError(`${EMERGENCY_DASHBOARD}.json`, '', 'missing: emergency mode shows it'));
  let playlists: Playlist[] = [];
  try {
    // Items naming a file that failed above are reported there, not twice.
    playlists = readPlaylists(dir, new Set(names.map(idOf)));
  } catch (error) {
    if (!(error instanceof DashboardFileError)) throw error;
    problems.push(error);
  }
  if (problems.length > 0) throw new DashboardsInvalidError(dir, problems);
  const set: DashboardSet = { dashboards, playlists, files: new Map() };
  for (const name of names) markValid(set, name);
  if (playlists.length > 0) markValid(set, PLAYLISTS_FILE);
  return set;
}
