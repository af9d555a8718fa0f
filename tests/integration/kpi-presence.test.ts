/**
 * A live wall brings today's 在岗 and 今日活动 up to date by reading only what was stored since its
 * last read (server/store/kpi-repository.ts); after every block its figures are a fresh full
 * read's: repeated check-ins, check-outs, a late check-in older than a check-out, a duplicate
 * block, another scope. Real chdb, the real migrations.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PracticeEvent } from '../../shared/events.js';
import { DayPresence, dayOf } from '../../shared/presence.js';
import { EmbeddedTransport } from '../../server/store/embedded.js';
import { insertEvents, toNdjson, toRow } from '../../server/store/events-repository.js';
import { queryKpi } from '../../server/store/kpi-repository.js';
import { migrate } from '../../server/store/migrate.js';
import { checkin, checkout } from '../helpers/events.js';

describe("today's presence read incrementally", () => {
  it('equals a full read after every block', async () => {
    const store = new EmbeddedTransport(mkdtempSync(join(tmpdir(), 'wmsj-presence-')));
    try {
      await migrate(store);
      const now = Date.now();
      const at = (k: number) => now - 3_600_000 + k * 60_000;
      const blocks: PracticeEvent[][] = [
        [checkin({ ts: at(0), volunteerId: 'V1' }), checkin({ ts: at(1), volunteerId: 'V2', activityId: 'A2' })],
        [checkin({ ts: at(2), volunteerId: 'V1' }), checkout({ ts: at(3), volunteerId: 'V2' })],
        // Late: V2's check-in from before the check-out, and V3 at another station.
        [
          checkin({ ts: at(2), volunteerId: 'V2' }),
          checkin({ ts: at(4), volunteerId: 'V3', nodeId: 'S002', activityId: 'A3' }),
        ],
        [checkout({ ts: at(5), volunteerId: 'V1' }), checkin({ ts: now - 2 * 86_400_000, volunteerId: 'V4' })],
      ];
      const district = new DayPresence(dayOf(now));
      const station = new DayPresence(dayOf(now));
      const expected = [
        { volunteersActive: 2, activitiesToday: 2 },
        { volunteersActive: 1, activitiesToday: 2 },
        { volunteersActive: 2, activitiesToday: 3 },
        { volunteersActive: 1, activitiesToday: 3 },
      ];
      for (const [i, block] of blocks.entries()) {
        const ndjson = toNdjson(block.map((e) => toRow(e, 'I01')));
        await insertEvents(store, ndjson, `b${i}`);
        if (i === 1) await insertEvents(store, ndjson, `b${i}-again`); // the same events stored twice
        const live = await queryKpi(store, now, null, district);
        const fresh = await queryKpi(store, now);
        expect({ volunteersActive: live.volunteersActive, activitiesToday: live.activitiesToday }).toEqual(expected[i]);
        expect(live).toEqual(fresh);
        const liveS001 = await queryKpi(store, now, ['S001'], station);
        expect(liveS001).toEqual(await queryKpi(store, now, ['S001']));
      }
      expect(district.storedTo).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });
});
