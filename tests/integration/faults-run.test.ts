/**
 * A one-minute run of the scripted fault run (bench/faults.ts): ClickHouse connections reset, the
 * wall sockets dropped, the server killed with SIGKILL and restarted, under steady load and with
 * live walls, every operation recorded; then its invariants must hold. The full run (10 minutes,
 * every fault of the script several times) is `npm run bench -- faults`.
 */
import { describe, expect, it } from 'vitest';
import { runFaults } from '../../bench/faults.js';

describe('scripted fault run (1 min)', () => {
  it('keeps acked ⊆ stored, no duplicates, every wall equal to the database', { timeout: 420_000 }, async () => {
    const r = await runFaults(1, () => undefined);
    expect(r.faults['clickhouse reset']).toBe(1);
    expect(r.acked).toBeGreaterThan(0);
    expect(r.lost).toBe(0);
    expect(r.duplicates).toBe(0);
    expect(r.viewMismatch).toBe(0);
    expect(r.extra + r.refusedStored).toBe(0);
    expect(r.wallsEqualToDatabase).toBe(r.walls);
    expect(r.orderVersionViolations).toBe(0);
    expect(r.orderTransitionsAcked).toBeGreaterThan(0);
    expect(r.orderTransitionsLost).toBe(0);
    expect(r.orderTransitionsTwice).toBe(0);
    expect(r.orderTransitionsUnacked).toBe(0);
  });
});
