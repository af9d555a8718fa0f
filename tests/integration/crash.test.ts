/**
 * kill -9 during ingest: every event the server acknowledged is in ClickHouse exactly once after a
 * restart (write-ahead log replay, idempotent ids), and events re-sent after the crash are refused
 * as duplicates rather than counted twice.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { IngestResult, PracticeEvent } from '../../shared/events.js';
import { EmbeddedTransport } from '../../server/store/embedded.js';
import { checkin } from '../helpers/events.js';
import { startServer, type RunningServer } from '../helpers/server.js';

let server: RunningServer | null = null;
afterAll(async () => {
  await server?.stop();
});

async function send(s: RunningServer, events: PracticeEvent[]): Promise<IngestResult | null> {
  try {
    const response = await fetch(`${s.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
      body: JSON.stringify(events),
    });
    return response.ok ? ((await response.json()) as IngestResult) : null;
  } catch {
    return null; // the connection died with the process: not acknowledged
  }
}

describe('kill -9 during ingest', () => {
  it('keeps every acknowledged event exactly once', async () => {
    // A large flush age keeps acknowledged events in the log only, so the kill lands between ack and insert.
    const first = await startServer({ env: { FLUSH_MAX_AGE_MS: '60000', FLUSH_MAX_EVENTS: '1000000' } });
    server = first;
    const acked: string[] = [];
    const sentButUnknown: PracticeEvent[] = [];
    const senders = Array.from({ length: 4 }, async () => {
      // Keep sending until the kill cuts a request off (bounded, in case it never comes).
      for (let i = 0; i < 20_000; i += 1) {
        const batch = Array.from({ length: 50 }, () => checkin());
        const result = await send(first, batch);
        if (!result) {
          sentButUnknown.push(...batch);
          return;
        }
        for (const item of result.items) if (item.status === 'accepted' && item.id) acked.push(item.id);
      }
    });
    await new Promise((r) => setTimeout(r, 1_500));
    await first.kill();
    await Promise.all(senders);
    expect(acked.length).toBeGreaterThan(0);
    expect(sentButUnknown.length).toBeGreaterThan(0); // the kill really landed mid-stream

    // Restart on the same data: the log tail is replayed into ClickHouse.
    const second = await startServer({ dataDir: first.dataDir });
    server = second;
    const resent = await send(second, sentButUnknown.slice(0, 50));
    if (resent) expect(resent.rejected).toBe(0);
    expect(await second.stop()).toBe(0);
    server = null;

    const store = new EmbeddedTransport(`${first.dataDir}/clickhouse`);
    try {
      const rows = await store.query<{ event_id: string; n: number }>(
        'SELECT toString(id) AS event_id, count() AS n FROM events WHERE id IN {ids:Array(UUID)} GROUP BY id',
        { ids: acked },
      );
      expect(rows).toHaveLength(acked.length);
      expect(rows.filter((r) => r.n !== 1)).toEqual([]);
      const since = { since: Math.floor((Date.now() - 3_600_000) / 60_000) * 60 };
      const [minute] = await store.query<{ n: number }>(
        `SELECT sum(events) AS n FROM events_minute WHERE type = 'checkin' AND minute >= toDateTime({since:UInt32})`,
        since,
      );
      const [raw] = await store.query<{ n: number }>(
        `SELECT count() AS n FROM events FINAL WHERE type = 'checkin' AND ts >= toDateTime({since:UInt32})`,
        since,
      );
      // The per-minute view counted each stored event once: no replayed duplicate reached it.
      expect(minute?.n).toBe(raw?.n);
    } finally {
      await store.close();
    }
  });
});
