/**
 * Reads one county: `NETWORK=shuangliu|baokang` (shipped in counties/) or a path to a county's
 * directory (or its county.json). Every problem in every file is collected and thrown together, each
 * naming its file and line, so one start tells the county office everything to fix. No I/O here:
 * the caller hands in how to read a file (the server's configuration and the seed both do).
 */
import { Compile } from 'typebox/compile';
import { CountyFileSchema, type CountyFile } from './county.js';
import { readNodesFile, type LocatedRow } from './county-nodes.js';
import { readOutline, type Outline } from './county-outline.js';
import { checkTree, levelOf } from './county-tree.js';
import type { CountyFacts } from './network.js';

/** The counties shipped in counties/ (named by NETWORK=…). */
export const BUILT_IN_COUNTIES = ['shuangliu', 'baokang'] as const;

/** A file's bytes, or why it cannot be read (`ENOENT`). */
export type ReadFile = (path: string) => Uint8Array | { problem: string };

export interface CountySource {
  /** `shuangliu`, or the directory's name for a county given by path. */
  key: string;
  file: CountyFile;
  outline: Outline;
  /** [lon, lat]: county.json's `center`, else the 中心's position. */
  center: [number, number];
  rows: LocatedRow[];
}

export class CountyError extends Error {
  constructor(readonly problems: string[]) {
    super(`the county's files have problems:\n  ${problems.join('\n  ')}`);
  }
}

const fileValidator = Compile(CountyFileSchema);

/** county.json's path for a NETWORK value; `root` is the checkout holding counties/ (ends with `/`). */
export function countyJsonPath(network: string, root: string): string {
  if ((BUILT_IN_COUNTIES as readonly string[]).includes(network)) return `${root}counties/${network}/county.json`;
  return network.endsWith('.json') ? network : `${network.replace(/\/+$/, '')}/county.json`;
}

export function loadCounty(network: string, root: string, readFile: ReadFile): CountySource {
  const path = countyJsonPath(network, root);
  const dir = path.slice(0, path.lastIndexOf('/') + 1);
  const countyName = path.slice(dir.length);
  const read = (file: string): Uint8Array | string => {
    const got = readFile(`${dir}${file}`);
    return got instanceof Uint8Array ? got : `${file}: cannot be read (${got.problem})`;
  };
  const json = (bytes: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(bytes));

  const countyBytes = read(countyName);
  if (typeof countyBytes === 'string') {
    const builtIns = BUILT_IN_COUNTIES.join(', ');
    throw new CountyError([`${path}: no county here; give a built-in county (${builtIns}) or a county's directory`]);
  }
  let raw: unknown;
  try {
    raw = fileValidator.Default(json(countyBytes));
  } catch (error) {
    throw new CountyError([`${countyName}: not JSON (${(error as Error).message})`]);
  }
  if (!fileValidator.Check(raw)) {
    throw new CountyError(
      [...fileValidator.Errors(raw)].map((e) => `${countyName}: ${e.instancePath.slice(1) || 'file'} ${e.message}`),
    );
  }
  const file = raw;
  const problems: string[] = [];
  if (file.yearly.appealsClosed > file.yearly.appealsReceived) {
    problems.push(`${countyName}: yearly/appealsClosed is more than yearly/appealsReceived`);
  }
  const kinds = file.generate?.pointKinds;
  if (kinds && !Object.values(kinds).some((w) => w > 0)) {
    problems.push(`${countyName}: generate/pointKinds needs one weight above 0`);
  }

  const nodeBytes = read(file.nodes);
  const nodes =
    typeof nodeBytes === 'string' ? { rows: [], problems: [nodeBytes] } : readNodesFile(file.nodes, nodeBytes);
  problems.push(...nodes.problems);
  const centerRow = nodes.rows.find((r) => levelOf(r) === 'center')?.row;
  const center: [number, number] = file.center ?? [centerRow?.lon ?? 0, centerRow?.lat ?? 0];

  const outlineBytes = read(file.outline);
  let outline: Outline | null = null;
  if (typeof outlineBytes === 'string') problems.push(outlineBytes);
  else {
    let data: unknown;
    try {
      data = json(outlineBytes);
    } catch (error) {
      problems.push(`${file.outline}: not JSON (${(error as Error).message})`);
    }
    const got = data === undefined ? null : readOutline(file.outline, data, center[1]);
    if (got && 'problems' in got) problems.push(...got.problems);
    else outline = got;
  }
  // The tree is checked on a clean read only: a row the schema refused would make its children orphans.
  if (outline && problems.length === 0) problems.push(...checkTree(nodes.rows, outline.shape));
  const points = nodes.rows.filter((r) => levelOf(r) === 'point').length;
  if ((file.generate?.points ?? 0) > 0 && points > 0) {
    problems.push(`${countyName}: generate/points asks for generated points, but ${file.nodes} lists ${points}`);
  }
  if (problems.length > 0 || !outline) throw new CountyError(problems);
  const key = dir.replace(/\/+$/, '').split('/').pop() || network;
  return { key, file, outline, center, rows: nodes.rows };
}

/** What the network carries of county.json for the seed and the simulator (shared/network.ts `facts`). */
export function factsOf(file: CountyFile): CountyFacts {
  return { volunteers: file.volunteers, teams: file.teams, yearly: file.yearly, brands: file.brands ?? [] };
}
