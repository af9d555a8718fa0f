/**
 * What the live benchmarks share: a load that posts events at a steady rate with one probe check-in
 * per batch, whose id carries its posting time, so screens in other processes
 * (bench/socket-walls.ts) time its receipt.
 */
import type { RunningServer } from '../tests/helpers/server.js';
import { makeEvents } from './lib.js';

export const now = () => performance.timeOrigin + performance.now();
const BATCH_EVERY_MS = 20;
const NODES = ['S001', 'S002', 'S003', 'P0001', 'P0002'];

/** Probe ids → when they were posted; walls turn receipts into latency samples. */
export type Probes = Map<string, number>;

/**
 * A probe's id carries its posting time (epoch ms, last 12 hex digits) behind a marker group, so
 * walls in other processes can time it without hearing from the load generator.
 */
export const probeId = (n: number, ms: number) =>
  `${(n % 2 ** 32).toString(16).padStart(8, '0')}-b0b0-4000-8000-${Math.round(ms).toString(16).padStart(12, '0')}`;
/** The posting time of a probe id, or null for any other event. */
export const probeSentAt = (id: string): number | null =>
  id.slice(9, 13) === 'b0b0' ? Number.parseInt(id.slice(24), 16) : null;

export interface LoadResult {
  /** Events the server acknowledged as accepted. */
  accepted: number;
  probesSent: number;
  /** Requests that got no answer (refused connection, reset, timeout): counted, not fatal. */
  failed: number;
}

/** Posts `rate` events/s for `seconds` (one probe check-in per 20 ms batch, the rest media reads). */
export async function runLoad(
  server: RunningServer,
  rate: number,
  seconds: number,
  probes: Probes,
): Promise<LoadResult> {
  const perBatch = Math.max(1, Math.round((rate * BATCH_EVERY_MS) / 1000));
  let accepted = 0;
  let failed = 0;
  const inflight: Promise<void>[] = [];
  const started = now();
  let probesSent = 0;
  for (let tick = 1; now() - started < seconds * 1000; tick += 1) {
    const [event] = makeEvents(1, NODES, Date.now(), 1);
    if (!event) throw new Error('no probe event');
    const sentAt = now();
    const probe = { ...event, id: probeId(tick, sentAt) };
    const batch = [probe, ...makeEvents(perBatch - 1, NODES, Date.now(), 0)];
    probes.set(probe.id, sentAt);
    probesSent += 1;
    const request = fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify(batch),
    })
      .then(async (response) => {
        const body = (await response.json()) as { accepted?: number };
        accepted += body.accepted ?? 0;
      })
      .catch(() => {
        failed += 1;
      });
    inflight.push(request);
    if (inflight.length > 200) await Promise.all(inflight.splice(0, 100));
    await new Promise((r) => setTimeout(r, Math.max(0, started + tick * BATCH_EVERY_MS - now())));
  }
  await Promise.all(inflight);
  return { accepted, probesSent, failed };
}
