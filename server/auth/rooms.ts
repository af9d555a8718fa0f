/**
 * What a socket's access rests on, and the room that names it. Every authenticated socket joins
 * the room of its credential on every namespace, so ending the credential (auth/service.ts
 * `onEnded`) disconnects all its sockets at once, and a socket's saved recovery state carries the
 * credential so a recovery can be refused once it has ended (auth/recovery.ts).
 */
import type { Principal } from '../../shared/auth.js';

/** A wall or device token by its id, or a person's session by its key (a hash: ids never leave the store). */
export interface CredentialRef {
  kind: 'token' | 'session';
  id: string;
}

export const credentialRoom = (credential: CredentialRef): string => `auth:${credential.kind}:${credential.id}`;

/** What a guarded socket carries in `socket.data`, and so in its saved recovery state. */
export interface SocketAuth {
  principal: Principal;
  /** Null for an anonymous public display. */
  credential: CredentialRef | null;
}
