/**
 * Socket.IO's connection-state recovery hands a returning socket its saved rooms and data, and
 * writes the packets it missed, as soon as it presents its saved session id and offset — before any
 * middleware has run. So here a saved state is restored only while the credential it was saved
 * under still holds (otherwise the socket starts fresh and meets the guard like any new one), and
 * the missed packets are held back until the guard has admitted the socket on the credentials it
 * presents now, under the same credential (`release`). The guard runs for recovered sockets too:
 * `skipMiddlewares: false` in plugins/app/live.ts.
 */
import type { Namespace, Server } from 'socket.io';
import type { CredentialRef, SocketAuth } from './rooms.js';

type Restore = Namespace['adapter']['restoreSession'];
type Restored = Awaited<ReturnType<Restore>>;
/** "Nothing to restore": Socket.IO's adapters answer null for it, though the type leaves it out. */
const NOTHING = null as unknown as Restored;
/** Held packets of a socket that never reached the guard (its connection dropped) are let go after this. */
const HOLD_MS = 30_000;

/** socket.io-parser's EVENT packet type. */
const EVENT = 2;

/** The parts of a recovered Socket.IO socket the gate writes to. */
export interface HeldSocket {
  id: string;
  nsp: { name: string };
  client: { _packet(packet: { type: number; nsp: string; data: unknown[] }): void };
}

export class RecoveryGate {
  private readonly held = new Map<string, { missed: unknown[][]; at: number }>();

  constructor(private readonly isLive: (credential: CredentialRef) => boolean | Promise<boolean>) {}

  /** Hooks every namespace's adapter, present and future. */
  install(io: Server): void {
    const hook = (ns: Namespace) => {
      const adapter = ns.adapter;
      const restore: Restore = adapter.restoreSession.bind(adapter);
      adapter.restoreSession = async (pid, offset) => {
        // Typed as always a session; Socket.IO's adapters answer null when there is none.
        const session = (await restore(pid, offset)) as Restored | null;
        if (session === null) return NOTHING;
        const credential = (session.data as Partial<SocketAuth> | undefined)?.credential;
        if (credential && !(await this.isLive(credential))) return NOTHING;
        this.hold(`${ns.name}#${session.sid}`, session.missedPackets);
        return { ...session, missedPackets: [] };
      };
    };
    hook(io.of('/'));
    io.on('new_namespace', hook);
  }

  /**
   * The packets a recovered socket missed, once the guard has admitted it: sent only when it was
   * admitted under the credential its state was saved under; dropped otherwise.
   */
  release(socket: HeldSocket, sameCredential: boolean): void {
    const key = `${socket.nsp.name}#${socket.id}`;
    const entry = this.held.get(key);
    this.held.delete(key);
    if (!entry || !sameCredential) return;
    // Written as Socket.IO writes them on recovery (its Socket#packet, private): raw event packets,
    // each still ending with its offset, before the CONNECT packet; the client buffers them. An
    // emit() would not do: it broadcasts to the socket's own room, not joined until it connects.
    for (const data of entry.missed) socket.client._packet({ type: EVENT, nsp: socket.nsp.name, data });
  }

  private hold(key: string, missed: unknown[][]): void {
    const now = Date.now();
    for (const [k, entry] of this.held) if (now - entry.at > HOLD_MS) this.held.delete(k);
    this.held.set(key, { missed, at: now });
  }
}
