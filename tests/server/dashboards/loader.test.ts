/**
 * Dashboards as data: the shipped files load, and every kind of mistake in a file stops the load
 * with the file and the field named (the server then refuses to start with that message).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { DashboardFile } from '../../../shared/dashboard.js';
import { DashboardsInvalidError, loadDashboards } from '../../../server/dashboards/loader.js';
import { DashboardFileError, parseDashboard } from '../../../server/dashboards/validate.js';

const SHIPPED = fileURLToPath(new URL('../../../dashboards/', import.meta.url));
const town = (): DashboardFile => JSON.parse(readFileSync(join(SHIPPED, 'town.json'), 'utf8')) as DashboardFile;

/** Panel `i` of `d` (the shipped files have them; a missing one is a broken test). */
function panel(d: DashboardFile, i: number): DashboardFile['panels'][number] {
  const p = d.panels[i];
  if (!p) throw new Error(`no panel ${i}`);
  return p;
}

/** The error parseDashboard throws for `dashboard` (as text), as "file: field: problem". */
function problemOf(dashboard: unknown, id = 'town'): DashboardFileError {
  try {
    parseDashboard(`${id}.json`, id, JSON.stringify(dashboard));
  } catch (error) {
    if (error instanceof DashboardFileError) return error;
    throw error;
  }
  throw new Error('expected the dashboard to be refused');
}

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});
function copyOfShipped(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dashboards-'));
  dirs.push(dir);
  cpSync(SHIPPED, dir, { recursive: true });
  return dir;
}

describe('dashboard files', () => {
  it('loads every shipped dashboard and the playlists', () => {
    const { dashboards, playlists } = loadDashboards(SHIPPED);
    expect([...dashboards.keys()].sort()).toEqual(['command-center', 'emergency', 'evaluation', 'leadership', 'town']);
    expect(dashboards.get('town')?.scoped).toBe(true);
    expect(playlists.map((p) => p.id)).toContain('towns');
  });

  it("names the file and field of a query parameter the query's schema refuses", () => {
    const d = town();
    const trend = d.panels.findIndex((p) => p.query?.name === 'trend');
    d.panels[trend] = { ...panel(d, trend), query: { name: 'trend', params: { metric: 'checkins', window: '2h' } } };
    const error = problemOf(d);
    expect(error.file).toBe('town.json');
    expect(error.field).toBe(`panels/${trend}/query/params/window`);
    expect(error.message).toContain(`town.json: panels/${trend}/query/params/window`);
  });

  it('names an unknown parameter, an unknown option and a wrong option value', () => {
    const d = town();
    d.panels[0] = { ...panel(d, 0), options: { keys: ['checkinsToday'], colums: 2 } };
    expect(problemOf(d).field).toBe('panels/0/options/colums');
    d.panels[0] = { ...d.panels[0], options: { keys: ['noSuchKpi'] } };
    expect(problemOf(d).field).toBe('panels/0/options/keys/0');
    const q = d.panels.findIndex((p) => p.query);
    d.panels[0] = { ...d.panels[0], options: { keys: ['checkinsToday'] } };
    d.panels[q] = { ...panel(d, q), query: { name: 'dispatch.summary', params: { window: '24h', extra: 1 } } };
    expect(problemOf(d).field).toBe(`panels/${q}/query/params/extra`);
  });

  it("checks each panel against its type: the type's options, and only the queries that type reads", () => {
    const d = town();
    const trend = d.panels.findIndex((p) => p.type === 'trend');
    d.panels[trend] = { ...panel(d, trend), options: { windows: ['1h', '2h'] } };
    expect(problemOf(d).message).toContain(`town.json: panels/${trend}/options/windows/1:`);
    // `rows` is a feed's option, not a trend's.
    d.panels[trend] = { ...panel(d, trend), options: { rows: 5 } };
    expect(problemOf(d).message).toBe(`town.json: panels/${trend}/options/rows: no such field here (a typo?)`);
    d.panels[trend] = {
      ...panel(d, trend),
      options: {},
      query: { name: 'heat', params: { window: '1h', source: 'all', category: 'all' } },
    };
    expect(problemOf(d).message).toBe(`town.json: panels/${trend}/query/name: a trend panel reads trend, not heat`);
    const k = town();
    const kpi = k.panels.findIndex((p) => p.type === 'kpi');
    k.panels[kpi] = { ...panel(k, kpi), query: { name: 'trend', params: { metric: 'checkins', window: '1h' } } };
    expect(problemOf(k).message).toBe(`town.json: panels/${kpi}/query/name: a kpi panel reads no named query`);
    const n = town();
    delete panel(n, kpi).options;
    expect(problemOf(n).field).toBe(`panels/${kpi}`);
  });

  it('names schema errors: a bad panel type, a missing title, a colour', () => {
    expect(problemOf({ ...town(), panels: [{ ...town().panels[0], type: 'pie' }] }).field).toBe('panels/0/type');
    const untitled: Partial<DashboardFile> = town();
    delete untitled.title;
    expect(problemOf(untitled).field).toBe('');
    const d = town();
    d.panels[0] = { ...panel(d, 0), thresholds: [{ value: 1, colour: 'red' }] };
    expect(problemOf(d).field).toBe('panels/0/thresholds/0/colour');
  });

  it('refuses panels outside the grid, overlapping panels, duplicate ids and a wrong id', () => {
    const d = town();
    d.panels[0] = { ...panel(d, 0), grid: { x: 20, y: 0, w: 6, h: 4 } };
    expect(problemOf(d).message).toContain('panels/0/grid: outside the 24×12 grid');
    const o = town();
    o.panels[1] = { ...panel(o, 1), grid: { x: 2, y: 2, w: 4, h: 4 } };
    expect(problemOf(o).message).toMatch(/panels\/1\/grid: overlaps panel volunteers/);
    const dup = town();
    dup.panels[1] = { ...panel(dup, 1), id: panel(dup, 0).id };
    expect(problemOf(dup).field).toBe('panels/1/id');
    expect(problemOf(town(), 'village').field).toBe('id');
  });

  it('takes a spliced wall of its own (5760×1080 on a 72×12 grid) and refuses one past 8K or 96 columns', () => {
    const wide = town();
    wide.design = { width: 5760, height: 1080 };
    wide.grid = { columns: 72, rows: 12 };
    wide.panels[0] = { ...panel(wide, 0), grid: { x: 48, y: 0, w: 24, h: 4 } };
    expect(parseDashboard('town.json', 'town', JSON.stringify(wide)).grid.columns).toBe(72);
    expect(problemOf({ ...wide, design: { width: 15360, height: 1080 } }).field).toBe('design/width');
    expect(problemOf({ ...wide, grid: { columns: 120, rows: 12 } }).field).toBe('grid/columns');
  });

  it('stops the load listing every bad file, a JSON syntax error and a playlist naming no dashboard', () => {
    const dir = copyOfShipped();
    writeFileSync(join(dir, 'leadership.json'), '{ "id": "leadership", ');
    const d = town();
    d.design.width = 100;
    writeFileSync(join(dir, 'town.json'), JSON.stringify(d));
    writeFileSync(
      join(dir, 'playlists.json'),
      JSON.stringify({ playlists: [{ id: 'p', title: 'x', items: [{ dashboard: 'nowhere', dwellS: 10 }] }] }),
    );
    let error: unknown;
    try {
      loadDashboards(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DashboardsInvalidError);
    const message = (error as Error).message;
    expect(message).toContain('leadership.json: (file): not JSON');
    expect(message).toContain('town.json: design/width:');
    expect(message).toContain('playlists.json: playlists/0/items/0/dashboard: no dashboard nowhere');
  });

  it('refuses to start without the emergency dashboard', () => {
    const dir = copyOfShipped();
    rmSync(join(dir, 'emergency.json'));
    expect(() => loadDashboards(dir)).toThrow(/emergency\.json: \(file\): missing/);
  });
});
