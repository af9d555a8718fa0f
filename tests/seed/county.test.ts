/**
 * A county as data (counties/README.md): the example county in tests/fixtures/county-example loads
 * from CSV and from JSON alike, and every kind of mistake a county office can make in its files
 * stops the load with a problem naming the file, the line and what to fix — all of them at once.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { countByLevel, NetworkSchema } from '../../shared/network.js';
import { CountyError } from '../../shared/county-load.js';
import { countyFacts, loadCounty, withStoredFacts } from '../../seed/counties.js';
import { inMultiPolygon } from '../../shared/geometry.js';
import { generateNetwork } from '../../seed/network.js';
import { ConfigError, loadConfig } from '../../server/config.js';

const EXAMPLE = fileURLToPath(new URL('../fixtures/county-example/', import.meta.url));

/** A copy of the example county with some files changed. */
function county(files: Record<string, string | Buffer | ((text: string) => string)> = {}): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'county-')), 'county-example');
  cpSync(EXAMPLE, dir, { recursive: true });
  for (const [name, change] of Object.entries(files)) {
    const path = join(dir, name);
    writeFileSync(path, typeof change === 'function' ? change(readFileSync(path, 'utf8')) : change);
  }
  return dir;
}

/** Replaces the CSV line that starts with `id,`. */
const row = (id: string, line: string) => (text: string) => text.replace(new RegExp(`^${id},.*$`, 'm'), line);
const json = (change: (v: Record<string, unknown>) => void) => (text: string) => {
  const value = JSON.parse(text) as Record<string, unknown>;
  change(value);
  return JSON.stringify(value);
};

function problemsOf(dir: string): string[] {
  try {
    loadCounty(dir);
  } catch (error) {
    if (error instanceof CountyError) return error.problems;
    throw error;
  }
  throw new Error('the county loaded without a problem');
}

describe('the example county', () => {
  const network = generateNetwork(EXAMPLE);

  it('is a network like the shipped ones: three towns, six stations, nine generated points', () => {
    expect(Compile(NetworkSchema).Check(network)).toBe(true);
    expect(countByLevel(network.nodes)).toEqual({ center: 1, institute: 3, station: 6, point: 9 });
    expect(network.county).toMatchObject({ network: 'county-example', name: '示例县', adcode: '429999' });
    expect(network.county.facts).toMatchObject({ volunteers: 600, teams: 30, brands: ['清河讲堂'] });
    expect(network.county.center).toEqual([113.1, 30.082]); // the 中心's position: county.json gives none
    expect(network.towns.features).toHaveLength(3);
    const { shape } = loadCounty(EXAMPLE).outline;
    expect(network.nodes.filter((n) => !inMultiPolygon([n.lon, n.lat], shape))).toEqual([]);
    expect(network.nodes.find((n) => n.id === 'S03')).toMatchObject({
      parentId: 'I02',
      instituteId: 'I02',
      address: '示例县东山镇桃园村',
      code: 'WMSJ:429999:S03',
    });
  });

  it('generates its points near the stations, only of the kinds asked, the same for a seed', () => {
    const points = network.nodes.filter((n) => n.level === 'point');
    expect(new Set(points.map((p) => p.kind))).toEqual(new Set(['square', 'facility']));
    for (const p of points) expect(p.parentId).toMatch(/^S0[1-6]$/);
    expect(generateNetwork(EXAMPLE)).toEqual(network);
    expect(generateNetwork(EXAMPLE, 7).nodes.filter((n) => n.level === 'point')).not.toEqual(points);
  });

  it('reads the same nodes from a JSON file', () => {
    const rows = network.nodes
      .filter((n) => n.level !== 'point')
      .map((n) => ({
        id: n.id,
        level: n.level,
        parent: n.parentId,
        name: n.name,
        lon: n.lon,
        lat: n.lat,
        address: n.address,
      }));
    const dir = county({ 'nodes.json': JSON.stringify(rows), 'county.json': json((c) => (c['nodes'] = 'nodes.json')) });
    expect(generateNetwork(dir)).toEqual(network);
  });
});

describe('a county file with a mistake', () => {
  it('names an orphan station and the parent it lacks', () => {
    const dir = county({
      'nodes.csv': row('S06', 'S06,站,I09,河口村新时代文明实践站,113.01,30.04,示例县西河乡河口村'),
    });
    expect(problemsOf(dir)).toEqual(['nodes.csv line 11 (S06): orphan station, its parent I09 is not in the file']);
  });

  it('names a point outside the outline, and a town whose 所 is outside the county', () => {
    const dir = county({
      'nodes.csv': (t) =>
        row(
          'I03',
          'I03,所,C0,西河乡新时代文明实践所,112.9,30.07,示例县西河乡',
        )(row('S05', 'S05,站,I03,柳湾村新时代文明实践站,113.3,30.11,示例县西河乡柳湾村')(t)),
    });
    expect(problemsOf(dir)).toEqual([
      "nodes.csv line 5 (I03): the town's 所 (institute) at 112.9, 30.07 (lon, lat) is outside the county outline",
      'nodes.csv line 10 (S05): a 站 (station) at 113.3, 30.11 (lon, lat) is outside the county outline',
    ]);
  });

  it('names a duplicate id with both lines', () => {
    const dir = county({
      'nodes.csv': row('S02', 'S01,站,I01,北门社区新时代文明实践站,113.11,30.06,示例县城关镇北门社区'),
    });
    expect(problemsOf(dir)).toEqual(['nodes.csv line 7 (S01): duplicate id S01, first used at nodes.csv line 6 (S01)']);
  });

  it('names a level out of the 中心 → 所 → 站 → 点 order, a second center and a parent on the center', () => {
    const dir = county({
      'nodes.csv': (t) =>
        row(
          'S04',
          'S04,站,S03,石岭村新时代文明实践站,113.18,30.04,示例县东山镇石岭村',
        )(row('I02', 'I02,中心,C0,东山镇新时代文明实践所,113.17,30.09,示例县东山镇')(t)),
    });
    expect(problemsOf(dir)).toEqual([
      'nodes.csv line 4 (I02): a second 中心 (center); the county has one, at nodes.csv line 2 (C0)',
      'nodes.csv line 4 (I02): the 中心 (center) has no parent, found "C0"',
      'nodes.csv line 8 (S03): the parent of a 站 (station) must be a 所 (institute), but I02 is the 中心 (center) (nodes.csv line 4 (I02))',
      'nodes.csv line 9 (S04): the parent of a 站 (station) must be a 所 (institute), but S03 is a 站 (station) (nodes.csv line 8 (S03))',
    ]);
  });

  it('names every bad cell of every line at once', () => {
    const dir = county({
      'nodes.csv': (t) =>
        row(
          'S01',
          'S01,village,I01,清河社区新时代文明实践站,113.09,30.09,示例县城关镇清河社区',
        )(row('S02', 'S02,站,I01,北门社区新时代文明实践站,东经113度,30.06,示例县城关镇北门社区')(t)),
    });
    const problems = problemsOf(dir);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^nodes\.csv line 6 \(S01\): level must be equal to one of .* \(got "village"\)$/);
    expect(problems[1]).toMatch(/^nodes\.csv line 7 \(S02\): lon must be number \(got "东经113度"\)$/);
  });

  it('names missing and unknown columns', () => {
    const dir = county({
      'nodes.csv': (t) => t.replace('id,level,parent,name,lon,lat,address', 'id,level,上级,name,经度,latitude'),
    });
    expect(problemsOf(dir)).toEqual([
      'nodes.csv line 1: missing column lat, address; unknown column latitude (the columns are id, level, parent, name, lon, lat, address, kind)',
    ]);
  });

  it('names a line with more cells than the header', () => {
    const dir = county({
      'nodes.csv': row('S03', 'S03,站,I02,桃园村,新时代文明实践站,113.19,30.12,示例县东山镇桃园村'),
    });
    expect(problemsOf(dir)).toEqual(['nodes.csv line 8: 8 cells, the header has 7']);
  });

  it('says a GBK spreadsheet export is not UTF-8', () => {
    // 示例 in GBK
    const dir = county({ 'nodes.csv': Buffer.from([0x69, 0x64, 0x0a, 0xca, 0xbe, 0xc0, 0xfd, 0x0a]) });
    expect(problemsOf(dir)).toEqual(['nodes.csv: not UTF-8 text (save it as "CSV UTF-8")']);
  });

  it('names county.json fields against its schema, and files it cannot read', () => {
    const dir = county({
      'county.json': json((c) => {
        c['code'] = '4299';
        c['outline'] = 'missing.geojson';
        delete c['teams'];
      }),
    });
    const problems = problemsOf(dir);
    expect(problems.some((p) => p.startsWith('county.json: code must match pattern'))).toBe(true);
    expect(problems.some((p) => p.startsWith('county.json: ') && p.includes('teams'))).toBe(true);
    const fixed = county({ 'county.json': json((c) => (c['outline'] = 'missing.geojson')) });
    expect(problemsOf(fixed)).toEqual(['missing.geojson: cannot be read (ENOENT)']);
  });

  it('names an outline that is not a polygon, and points both listed and asked to be generated', () => {
    const line = JSON.stringify({ type: 'Feature', geometry: { type: 'LineString', coordinates: [[113, 30]] } });
    expect(problemsOf(county({ 'outline.geojson': line }))).toEqual([
      'outline.geojson feature #1: geometry must be a Polygon or MultiPolygon of [lon, lat] rings (4 positions or more)',
    ]);
    const both = county({
      'nodes.csv': (t) => `${t}P01,点,S01,清河广场新时代文明实践点,113.091,30.091,示例县城关镇清河广场\n`,
    });
    expect(problemsOf(both)).toEqual(['county.json: generate/points asks for generated points, but nodes.csv lists 1']);
  });

  it('stops the server configuration with every problem, each under NETWORK', () => {
    const dir = county({
      'nodes.csv': row('S06', 'S06,站,I09,河口村新时代文明实践站,113.01,30.04,示例县西河乡河口村'),
    });
    expect(loadConfig({ NETWORK: EXAMPLE }).NETWORK).toBe(EXAMPLE);
    expect(() => loadConfig({ NETWORK: dir, PORT: 'eighty' })).toThrow(ConfigError);
    try {
      loadConfig({ NETWORK: dir, PORT: 'eighty' });
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'PORT="eighty": must be integer',
        `NETWORK=${JSON.stringify(dir)}: nodes.csv line 11 (S06): orphan station, its parent I09 is not in the file`,
      ]);
    }
    expect(() => loadConfig({ NETWORK: join(dir, 'nowhere') })).toThrow(/no county here/);
  });
});

describe('a store seeded before counties were data', () => {
  it('gets a built-in county’s facts and English name back from its county.json, and nothing for others', () => {
    const { facts, nameEn, ...stored } = generateNetwork('baokang').county;
    expect(withStoredFacts(stored)).toEqual({ ...stored, nameEn, facts });
    expect(facts).toMatchObject({ volunteers: 25_000, teams: 1_000, yearly: { activities: 1_000 } });
    const other = { ...stored, network: 'county-example' };
    expect(withStoredFacts(other)).toEqual(other);
    expect(() => countyFacts({ ...generateNetwork(EXAMPLE), county: other })).toThrow(/carries no county facts/);
  });
});
