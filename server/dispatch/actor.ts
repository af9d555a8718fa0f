/** Who gives a dispatch command: a person's or token's principal, or the system (timer, simulator). */
import type { Principal } from '../../shared/auth.js';

export type DispatchActor = Pick<Principal, 'id' | 'name' | 'role' | 'scope'>;
