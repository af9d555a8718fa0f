/**
 * The `coverage` panel query: the share of sampled residents within the radius of a practice site
 * (any 中心/所/站/点), and where the uncovered ones live on a coarse grid. Sites and residents change
 * only with the network, so the per-resident work is done once per (store, radius) and each
 * evaluation only filters by scope and counts.
 */
import { coveredFlags, gridCell } from '../../shared/coverage.js';
import type { CoverageResult } from '../../shared/queries/coverage.js';
import type { HeatPoint } from '../../shared/queries/heat.js';
import type { QueryParams } from '../../shared/queries/index.js';
import { sampleResidents, type Resident } from '../../shared/residential.js';
import { loadNetwork } from './network-repository.js';
import type { ScopeNodes } from './scope-sql.js';
import type { Transport } from './transport.js';

/** Cells of the uncovered layer: coarse enough to read as areas on a wall, fine enough to place them. */
const CELL_M = 300;

interface Prepared {
  residents: Resident[];
  covered: boolean[];
  /** Grid cell of each resident (its centre), as "lat,lon". */
  cells: string[];
}

const prepared = new WeakMap<Transport, Map<number, Promise<Prepared>>>();

async function prepare(t: Transport, radiusM: number): Promise<Prepared> {
  const network = await loadNetwork(t);
  if (!network) return { residents: [], covered: [], cells: [] };
  const residents = sampleResidents(network);
  const refLat = network.county.center[1];
  return {
    residents,
    covered: coveredFlags(residents, network.nodes, radiusM),
    cells: residents.map((r) => {
      const c = gridCell(r, CELL_M, refLat);
      return `${c.lat},${c.lon}`;
    }),
  };
}

function preparedFor(t: Transport, radiusM: number): Promise<Prepared> {
  let byRadius = prepared.get(t);
  if (!byRadius) prepared.set(t, (byRadius = new Map<number, Promise<Prepared>>()));
  let entry = byRadius.get(radiusM);
  if (!entry) {
    entry = prepare(t, radiusM);
    // A failed read (ClickHouse down at that moment) is retried on the next evaluation.
    entry.catch(() => byRadius.delete(radiusM));
    byRadius.set(radiusM, entry);
  }
  return entry;
}

export async function queryCoverage(
  t: Transport,
  _nowMs: number,
  params: QueryParams<'coverage'>,
  scope: ScopeNodes,
): Promise<CoverageResult> {
  const { residents, covered, cells } = await preparedFor(t, params.radiusM);
  const inScope = scope === null ? null : new Set(scope);
  let total = 0;
  let coveredCount = 0;
  const uncovered = new Map<string, number>();
  residents.forEach((r, i) => {
    if (inScope && !inScope.has(r.instituteId) && !(r.stationId && inScope.has(r.stationId))) return;
    total += 1;
    if (covered[i]) coveredCount += 1;
    else {
      const cell = cells[i] ?? '';
      uncovered.set(cell, (uncovered.get(cell) ?? 0) + 1);
    }
  });
  const points: HeatPoint[] = [...uncovered].map(([cell, weight]) => {
    const [lat = 0, lon = 0] = cell.split(',').map(Number);
    return { lat, lon, weight };
  });
  return { radiusM: params.radiusM, total, covered: coveredCount, uncovered: points, cellM: CELL_M };
}
