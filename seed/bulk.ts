/**
 * Bulk events for the query benchmarks: tens of millions of rows generated inside ClickHouse
 * (INSERT … SELECT FROM numbers), in chunks so progress shows and memory stays flat; first the
 * 43,800 articles their reads refer to.
 */
import { readFileSync } from 'node:fs';
import type { Network } from '../shared/network.js';
import type { Transport } from '../server/store/transport.js';
import { DEFAULT_TIME_ZONE } from '../shared/time-zone.js';

const SQL = readFileSync(new URL('./history/bulk.sql', import.meta.url), 'utf8');
const ARTICLES_SQL = readFileSync(new URL('./history/bulk-articles.sql', import.meta.url), 'utf8');
const CHUNK = 5_000_000;

export interface BulkOptions {
  count: number;
  seed: number;
  now: number;
  onProgress?: (done: number, total: number) => void;
}

export async function bulkEvents(t: Transport, network: Network, opts: BulkOptions): Promise<number> {
  const sites = network.nodes.filter((n) => n.level !== 'center');
  const nodeIds = sites.map((n) => n.id);
  const instituteIds = sites.map((n) => n.instituteId ?? '');
  const tz = DEFAULT_TIME_ZONE;
  await t.command(ARTICLES_SQL, { now: opts.now, seed: opts.seed, tz, nodeIds, instituteIds });
  for (let offset = 0; offset < opts.count; offset += CHUNK) {
    const count = Math.min(CHUNK, opts.count - offset);
    await t.command(SQL, { now: opts.now, seed: opts.seed, tz, offset, count, nodeIds, instituteIds });
    opts.onProgress?.(offset + count, opts.count);
  }
  return opts.count;
}
