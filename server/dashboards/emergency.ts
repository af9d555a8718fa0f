/**
 * Emergency mode's state: one per server, kept in DATA_DIR/emergency.json so a restart in the
 * middle of an emergency brings every wall back in emergency mode, not in its everyday layout.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Compile } from 'typebox/compile';
import { EMERGENCY_OFF, EmergencyStateSchema, type EmergencyState } from '../../shared/emergency.js';

const checkState = Compile(EmergencyStateSchema);

export class EmergencyMode {
  private current: EmergencyState;

  constructor(private readonly file: string) {
    this.current = EmergencyMode.read(file);
  }

  private static read(file: string): EmergencyState {
    try {
      const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
      return checkState.Check(value) ? value : EMERGENCY_OFF;
    } catch {
      return EMERGENCY_OFF;
    }
  }

  get state(): EmergencyState {
    return this.current;
  }

  /** Switches on (with the banner's message) or off; answers the new state. */
  set(active: boolean, message: string, by: string, now = Date.now()): EmergencyState {
    this.current = { active, message: active ? message : '', since: now, by };
    writeFileSync(this.file, JSON.stringify(this.current), { mode: 0o600 });
    return this.current;
  }
}
