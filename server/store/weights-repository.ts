/**
 * Evaluation weights versions (migration 012): one row per version, inserted, never changed.
 */
import type { Weights, WeightsVersion } from '../../shared/evaluation-weights.js';
import type { Transport } from './transport.js';

interface Row {
  version: number;
  weights: string;
  author: string;
  createdAt: number;
  note: string;
}

/** Every saved version, newest first (a county saves a few a year). */
export async function loadWeightsVersions(t: Transport): Promise<WeightsVersion[]> {
  const rows = await t.query<Row>(
    `SELECT version, weights, author, toUnixTimestamp64Milli(created_at) AS createdAt, note
     FROM evaluation_weights ORDER BY version DESC`,
  );
  return rows.map((r) => ({ ...r, weights: JSON.parse(r.weights) as Weights }));
}

export async function insertWeightsVersion(t: Transport, v: WeightsVersion): Promise<void> {
  const row = {
    version: v.version,
    weights: JSON.stringify(v.weights),
    author: v.author,
    created_at: (v.createdAt / 1000).toFixed(3),
    note: v.note,
  };
  await t.insertJsonEachRow('evaluation_weights', Buffer.from(`${JSON.stringify(row)}\n`));
}
