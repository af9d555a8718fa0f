/**
 * A wall whose connection is cut for 60 s while events flow recovers to the exact state of a wall
 * that opens fresh afterwards: same KPI figures, same trend, same feed lines. The wall is a real
 * socket.io-client socket reaching the real server through a fault proxy that black-holes it (no
 * reset, no answer: the wall notices only by socket.io's ping timeout), then lets it through again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PracticeEvent } from '../../shared/events.js';
import { appealReceived, checkin } from '../helpers/events.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { LiveWall } from '../helpers/live-wall.js';
import { health, startLoad } from '../helpers/load.js';
import { eventually, startServer, type RunningServer } from '../helpers/server.js';

let server: RunningServer | undefined;
let proxy: FaultProxy | undefined;
const walls: LiveWall[] = [];

beforeAll(async () => {
  server = await startServer();
  proxy = await startFaultProxy({ port: server.port });
});
afterAll(async () => {
  for (const w of walls) w.close();
  await proxy?.close();
  await server?.stop();
});

/** Distinct event times: the feed is ordered by time, and ties could list in either order. */
let lastTs = 0;
function nextEvent(k: number): PracticeEvent {
  lastTs = Math.max(Date.now(), lastTs + 1);
  return k % 10 === 0 ? appealReceived({ ts: lastTs }) : checkin({ ts: lastTs, volunteerId: `V${1000 + (k % 50)}` });
}

describe('a wall cut off for 60 s', () => {
  it('recovers to the exact state of a fresh wall', { timeout: 240_000 }, async () => {
    if (!server || !proxy) throw new Error('not started');
    const target = server;
    const token = await target.wallToken();
    const cut = new LiveWall(`http://127.0.0.1:${proxy.port}`, token);
    walls.push(cut);
    await eventually(() => (cut.kpi ? true : undefined));

    let k = 0;
    const load = startLoad(target, { make: () => nextEvent((k += 1)), batch: 5, senders: 1, pauseMs: 200 });
    try {
      await eventually(() => (cut.counts.ticks > 0 ? true : undefined));
      const before = { ...cut.counts };
      const checkinsAtCut = cut.kpi?.checkinsToday ?? 0;
      proxy.set({ kind: 'blackhole' });
      await sleep(60_000);
      // The wall really lost its connection, and the world moved on meanwhile.
      expect(cut.counts.disconnects).toBeGreaterThan(before.disconnects);
      expect(load.acked.size).toBeGreaterThan(0);
      proxy.set({ kind: 'pass' });
      await eventually(() => (cut.connected && cut.seq !== null ? true : undefined));
      await eventually(() => ((cut.kpi?.checkinsToday ?? 0) > checkinsAtCut ? true : undefined));
    } finally {
      await load.stop();
    }
    expect(load.refused.size + load.unknown.size).toBe(0);
    await eventually(async () => ((await health(target)).ingest.pending === 0 ? true : undefined), 250);

    // Quiet now: a fresh wall opens, and both must settle on the same picture: the server's figures,
    // what `/api/kpi` answers once the last flush has been evaluated.
    const fresh = new LiveWall(target.url, token);
    walls.push(fresh);
    await eventually(() => (fresh.kpi ? true : undefined));
    const serverKpi = async () =>
      (await (
        await fetch(`${target.url}/api/kpi`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as Record<string, unknown>;
    const settled = (at: number, kpi: Record<string, unknown>) =>
      JSON.stringify(cut.view(at)) === JSON.stringify(fresh.view(at)) &&
      isDeepStrictEqual({ ...cut.view(at).kpi, asOf: kpi['asOf'] }, kpi);
    // The figures they settled on are the ones compared: a later read may already hold the next
    // evaluation, which the walls get a frame after (once, in CI, the district's check-ins read 5
    // fewer a moment after settling with no event sent: noted for its own investigation).
    const [kpi, at] = await eventually(async () => {
      const now = Date.now();
      const server = await serverKpi();
      return settled(now, server) ? ([server, now] as const) : undefined;
    }, 250);
    expect(cut.view(at)).toEqual(fresh.view(at));
    expect({ ...cut.view(at).kpi, asOf: kpi['asOf'] }).toEqual(kpi);
    // Its newest lines are the last events sent.
    expect(cut.feed[0]?.ts).toBe(lastTs);
  });
});
