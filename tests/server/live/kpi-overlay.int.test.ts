/**
 * A wall's KPI figures while events wait in the write-ahead log (raw deltas on the last evaluation)
 * never count more than ClickHouse will: check-ins count at once, while volunteers on duty and
 * today's activities (distinct counts) wait for the evaluation after the flush, which has them
 * exactly — a volunteer who checks in twice is one, a check-out takes one off, an activity counts
 * once. Before, the overlay added one on duty per check-in, and the tile jumped up, then back down.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpiSnapshot } from '../../../shared/kpi.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { checkin, checkout } from '../../helpers/events.js';
import { health } from '../../helpers/load.js';

let server: TestApp | undefined;

beforeAll(async () => {
  // Batches wait two seconds in the log, so the figures are read on the overlay first.
  server = await startApp({ env: { FLUSH_MAX_AGE_MS: '2000' } });
});
afterAll(async () => {
  await server?.close();
});

type Distinct = Pick<KpiSnapshot, 'checkinsToday' | 'volunteersActive' | 'activitiesToday'>;

describe('KPI figures on pending events', () => {
  it('go from the pending figures straight to the stored ones, never past them', { timeout: 60_000 }, async () => {
    if (!server) throw new Error('not started');
    const target = server;
    const token = await target.wallToken();
    const read = async (): Promise<Distinct> => {
      const kpi = (await (
        await target.fetch(`${target.url}/api/kpi`, { headers: { authorization: `Bearer ${token}` } })
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
    const response = await target.fetch(`${target.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(events),
    });
    expect(response.status).toBe(200);
    const pendingView: Distinct = { ...before, checkinsToday: before.checkinsToday + 4 };
    const stored: Distinct = {
      checkinsToday: before.checkinsToday + 4,
      volunteersActive: before.volunteersActive + 2,
      activitiesToday: before.activitiesToday + 1,
    };

    let readPending = 0;
    let storedSince: number | null = null;
    // Until well after the flush (the hub re-evaluates at most once a second).
    while (storedSince === null || Date.now() - storedSince < 3_000) {
      const figures = await read();
      // Read after the figures: still pending now means they were read on the overlay.
      const pending = (await health(target)).ingest.pending;
      if (pending > 0) {
        expect(figures).toEqual(pendingView);
        readPending += 1;
      } else {
        // Flushed: the pending figures until the next evaluation, then the stored ones for good.
        if (storedSince === null && JSON.stringify(figures) !== JSON.stringify(stored))
          expect(figures).toEqual(pendingView);
        else {
          expect(figures).toEqual(stored);
          storedSince ??= Date.now();
        }
      }
      await sleep(50);
    }
    expect(readPending).toBeGreaterThan(0);
  });
});
