/**
 * Emergency mode's state, kept in DATA_DIR/emergency.json so a restart in the middle of an
 * emergency brings every wall back in emergency mode, not in its everyday layout.
 *
 * Several nodes (REDIS_URL): one state for the county, in Redis. A switch is written there before
 * it is answered, so a node started later reads it at its start; the nodes already running learn it
 * from the switching node's entry on the live peers' stream (live/peers.ts) and tell their walls.
 * The file stays each node's copy for a start while Redis is unreachable.
 *
 * Redis out of reach (auth/reach.ts: at once when the connection is down, after a deadline when it
 * holds the command): every wall keeps showing the state its node last had, and an admin's switch is
 * refused with SHARED_UNAVAILABLE (503) before anything changes — no node switches alone, which
 * would leave the county's walls split between two modes. The next switch after Redis is back goes
 * through as usual.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { Compile } from 'typebox/compile';
import { reach } from '../auth/reach.js';
import { EMERGENCY_OFF, EmergencyStateSchema, type EmergencyState } from '../../shared/emergency.js';

const checkState = Compile(EmergencyStateSchema);
export const EMERGENCY_KEY = 'wmsj:live:emergency';

export class EmergencyMode {
  private current: EmergencyState;

  constructor(
    private readonly file: string,
    private readonly redis: Redis | null = null,
  ) {
    this.current = EmergencyMode.parse(() => readFileSync(file, 'utf8'));
  }

  private static parse(read: () => string | null): EmergencyState {
    try {
      const value: unknown = JSON.parse(read() ?? 'null');
      return checkState.Check(value) ? value : EMERGENCY_OFF;
    } catch {
      return EMERGENCY_OFF;
    }
  }

  /**
   * Several nodes: takes the county's state from Redis (a node started during an emergency shows it).
   * False when Redis did not answer: the node starts on its file's copy.
   */
  async load(): Promise<boolean> {
    if (!this.redis) return true;
    const stored = await reach(this.redis, (r) => r.get(EMERGENCY_KEY)).catch(() => undefined);
    if (stored === undefined) return false;
    if (stored !== null) this.adopt(EmergencyMode.parse(() => stored));
    return true;
  }

  get state(): EmergencyState {
    return this.current;
  }

  /** Switches on (with the banner's message) or off; answers the new state once it is kept. */
  async set(active: boolean, message: string, by: string, now = Date.now()): Promise<EmergencyState> {
    const next = { active, message: active ? message : '', since: now, by };
    // Into Redis first: a switch Redis did not take is refused (SHARED_UNAVAILABLE), not shown on one node only.
    if (this.redis) await reach(this.redis, (r) => r.set(EMERGENCY_KEY, JSON.stringify(next)));
    this.keep(next);
    return next;
  }

  /**
   * A state another node switched to: taken unless this node holds a later switch (two admins at
   * once: the later one wins on every node). True when it changed this node's state.
   */
  adopt(state: EmergencyState): boolean {
    if ((state.since ?? 0) < (this.current.since ?? 0) || JSON.stringify(state) === JSON.stringify(this.current))
      return false;
    this.keep(state);
    return true;
  }

  private keep(state: EmergencyState): void {
    this.current = state;
    writeFileSync(this.file, JSON.stringify(state), { mode: 0o600 });
  }
}
