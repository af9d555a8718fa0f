/**
 * A stopped server's ClickHouse, opened directly (chdb allows one process per data directory, so
 * only after `stop()`/`kill()`; on the HTTP leg, the directory's database on the server): how many
 * times each event id is stored, and orders moved back in time.
 */
import { openTestStore } from './test-store.js';

export async function storedCounts(dataDir: string, ids: readonly string[]): Promise<Map<string, number>> {
  const store = await openTestStore(dataDir);
  try {
    const rows = await store.query<{ event_id: string; n: number }>(
      'SELECT toString(id) AS event_id, count() AS n FROM events WHERE id IN {ids:Array(UUID)} GROUP BY id',
      { ids },
    );
    return new Map(rows.map((r) => [r.event_id, r.n]));
  } finally {
    await store.close();
  }
}

/**
 * Makes these orders look requested `hours` earlier: a copy of each one's first transition, under
 * a new id, that much older (an order's creation is its earliest transition). For the SLA timer's
 * 48-hour rule, which a test cannot wait for.
 */
export async function backdateOrders(dataDir: string, orderIds: readonly string[], hours: number): Promise<void> {
  const store = await openTestStore(dataDir);
  try {
    await store.command(
      `INSERT INTO events SELECT * REPLACE (generateUUIDv4() AS id, ts - toIntervalHour({hours:UInt32}) AS ts)
       FROM events WHERE type = 'order.transition' AND version = 1 AND subject_id IN {ids:Array(String)}`,
      { ids: orderIds, hours },
    );
  } finally {
    await store.close();
  }
}
