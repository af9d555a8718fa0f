/**
 * People's sessions: a random id in a signed cookie, the session itself on the server, found by its
 * key — a hash of the id, which may name a socket room or travel in a socket's saved state; the id
 * itself never does. Kept on the server so logout really ends it (a stateless cookie would stay
 * valid until it expires). Lookups are answered from memory; every new and ended session is written
 * through a backend (session-log.ts) before the login or logout is answered, and the unexpired ones
 * are loaded back at start, so a restart signs nobody out.
 *
 * Every way a session ends — logout, expiry (its timer, or noticed on use), all sessions of an
 * account — reaches `onEnded` at that moment, so whoever holds its sockets closes them at once.
 */
import { randomSecret } from './files.js';
import type { SessionBackend } from './session-log.js';
import { tokenHash } from './tokens.js';

export interface Session {
  username: string;
  createdAt: number;
  expiresAt: number;
}

/** The name a session goes by outside the cookie: on disk and in room names. */
export const sessionKey = (sessionId: string): string => tokenHash(sessionId).slice(0, 32);

/** setTimeout's longest delay; a longer TTL re-arms. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export class SessionStore {
  private readonly sessions = new Map<string, Session & { timer: NodeJS.Timeout }>();
  private readonly listeners = new Set<(key: string) => void>();

  constructor(
    private readonly ttlMs: number,
    private readonly backend: SessionBackend,
    private readonly clock: () => number = Date.now,
  ) {
    const now = clock();
    for (const { key, ...session } of backend.load(now)) {
      this.sessions.set(key, { ...session, timer: this.arm(key, session.expiresAt - now) });
    }
  }

  /** Called with the session's key whenever one ends, however it ends. */
  onEnded(listener: (key: string) => void): void {
    this.listeners.add(listener);
  }

  async create(username: string): Promise<string> {
    const id = randomSecret(32);
    const key = sessionKey(id);
    const now = this.clock();
    const session = { username, createdAt: now, expiresAt: now + this.ttlMs };
    await this.backend.put({ key, ...session });
    this.sessions.set(key, { ...session, timer: this.arm(key, this.ttlMs) });
    return id;
  }

  get(id: string): Session | null {
    const key = sessionKey(id);
    const session = this.alive(key) ? this.sessions.get(key) : undefined;
    return session ? { username: session.username, createdAt: session.createdAt, expiresAt: session.expiresAt } : null;
  }

  /** Whether the session with this key is still open (it ends here if it has just expired). */
  alive(key: string): boolean {
    const session = this.sessions.get(key);
    if (!session) return false;
    if (session.expiresAt > this.clock()) return true;
    // Not written: an expired session is dropped from the backend when it is next loaded.
    this.end(key);
    return false;
  }

  async destroy(id: string): Promise<void> {
    const key = sessionKey(id);
    this.end(key);
    await this.backend.remove([key]);
  }

  /** Ends every session of `username` but `keepId` (their sockets with them); answers the ended ones' keys. */
  async destroyUser(username: string, keepId: string | null = null): Promise<string[]> {
    const name = username.toLowerCase();
    const keep = keepId === null ? null : sessionKey(keepId);
    const ended = [...this.sessions]
      .filter(([key, s]) => key !== keep && s.username.toLowerCase() === name)
      .map(([key]) => key);
    for (const key of ended) this.end(key);
    await this.backend.remove(ended);
    return ended;
  }

  get size(): number {
    return this.sessions.size;
  }

  close(): void {
    for (const session of this.sessions.values()) clearTimeout(session.timer);
    this.backend.close();
  }

  /** One timer per session, so an expired session's sockets close when it expires, not when next used. */
  private arm(key: string, delayMs: number): NodeJS.Timeout {
    const timer = setTimeout(
      () => {
        const session = this.sessions.get(key);
        if (!session) return;
        const left = session.expiresAt - this.clock();
        if (left > 0) session.timer = this.arm(key, left);
        else this.end(key);
      },
      Math.min(Math.max(delayMs, 0), MAX_DELAY_MS),
    );
    timer.unref();
    return timer;
  }

  private end(key: string): void {
    const session = this.sessions.get(key);
    if (!session) return;
    clearTimeout(session.timer);
    this.sessions.delete(key);
    for (const listener of this.listeners) listener(key);
  }
}
