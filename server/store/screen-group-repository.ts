/**
 * Screen groups (migration 013): every change is a new row, the latest `updated_at` wins
 * (ReplacingMergeTree, read with FINAL); an empty `group_name` is a token taken out of its group.
 */
import type { Transport } from './transport.js';

export interface ScreenGroupRow {
  tokenId: string;
  group: string;
}

/** Every token in a group now. */
export async function loadScreenGroups(t: Transport): Promise<ScreenGroupRow[]> {
  return t.query<ScreenGroupRow>(
    `SELECT token_id AS tokenId, group_name AS group FROM screen_groups FINAL WHERE group_name != '' ORDER BY token_id`,
  );
}

/** Puts a token in `group` ('' takes it out); resolves once ClickHouse has it. */
export async function saveScreenGroup(
  t: Transport,
  tokenId: string,
  group: string,
  by: string,
  at: number,
): Promise<void> {
  const row = [tokenId, group, by, (at / 1000).toFixed(3)];
  await t.insertJsonEachRow('screen_groups', Buffer.from(`${JSON.stringify(row)}\n`), {
    format: 'JSONCompactEachRow',
    columns: ['token_id', 'group_name', 'updated_by', 'updated_at'],
  });
}
