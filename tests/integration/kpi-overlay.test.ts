/**
 * A wall's KPI figures while events wait in the write-ahead log (raw deltas on the last evaluation)
 * are the figures ClickHouse answers once they are stored: a volunteer who checks in twice is one
 * volunteer on duty, a check-out takes one off, an activity counts once. Before, the overlay added
 * one per check-in and a tile jumped up, then back down at the next evaluation.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpiSnapshot } from '../../shared/kpi.js';
import { checkin, checkout } from '../helpers/events.js';
import { health } from '../helpers/load.js';
import { startServer, type RunningServer } from '../helpers/server.js';

let server: RunningServer | undefined;

beforeAll(async () => {
  // Batches wait two seconds in the log, so the figures are read on the overlay first.
  server = await startServer({ env: { FLUSH_MAX_AGE_MS: '2000' } });
});
afterAll(async () => {
  await server?.stop();
});

type Distinct = Pick<KpiSnapshot, 'checkinsToday' | 'volunteersActive' | 'activitiesToday'>;

describe('KPI figures on pending events', () => {
  it('are the stored figures, before and after the flush', { timeout: 60_000 }, async () => {
    if (!server) throw new Error('not started');
    const target = server;
    const token = await target.wallToken();
    const read = async (): Promise<Distinct> => {
      const kpi = (await (
        await fetch(`${target.url}/api/kpi`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as KpiSnapshot;
      return {
        checkinsToday: kpi.checkinsToday,
        volunteersActive: kpi.volunteersActive,
        activitiesToday: kpi.activitiesToday,
      };
    };
    const before = await read();
    const now = Date.now();
    const at = (k: number) => ({ ts: now - 60_000 + k * 1000, activityId: 'AOVERLAY' });
    // VO1 twice in, VO2 in and out, VO3 in: two on duty, one activity, four check-ins.
    const events = [
      checkin({ ...at(0), volunteerId: 'VO1' }),
      checkin({ ...at(1), volunteerId: 'VO2' }),
      checkin({ ...at(2), volunteerId: 'VO1' }),
      checkout({ ...at(3), volunteerId: 'VO2' }),
      checkin({ ...at(4), volunteerId: 'VO3' }),
    ];
    const response = await fetch(`${target.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(events),
    });
    expect(response.status).toBe(200);
    const expected: Distinct = {
      checkinsToday: before.checkinsToday + 4,
      volunteersActive: before.volunteersActive + 2,
      activitiesToday: before.activitiesToday + 1,
    };

    let readPending = 0;
    let readStoredSince: number | null = null;
    // Until well after the flush (the hub re-evaluates at most once a second).
    while (readStoredSince === null || Date.now() - readStoredSince < 3_000) {
      expect(await read()).toEqual(expected);
      // Read after the figures: still pending now means they were read on the overlay.
      const pending = (await health(target)).ingest.pending;
      if (pending > 0) readPending += 1;
      else readStoredSince ??= Date.now();
      await sleep(50);
    }
    expect(readPending).toBeGreaterThan(0);
  });
});
