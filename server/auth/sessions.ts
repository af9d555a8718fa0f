/**
 * People's sessions: a random id in a signed cookie, the session itself on the server, found by its
 * key — a hash of the id, which also names the session's socket room, so ending a session found by
 * its user still reaches its sockets. Kept on the server so logout really ends it (a stateless
 * cookie would stay valid until it expires). Lookups are answered from memory; every new and ended
 * session is written through a backend (session-log.ts) before the login or logout is answered,
 * and the unexpired ones are loaded back at start, so a restart signs nobody out.
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

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly ttlMs: number,
    private readonly backend: SessionBackend,
    now = Date.now(),
  ) {
    for (const { key, ...session } of backend.load(now)) this.sessions.set(key, session);
  }

  async create(username: string, now = Date.now()): Promise<string> {
    this.sweep(now);
    const id = randomSecret(32);
    const key = sessionKey(id);
    const session = { username, createdAt: now, expiresAt: now + this.ttlMs };
    await this.backend.put({ key, ...session });
    this.sessions.set(key, session);
    return id;
  }

  get(id: string, now = Date.now()): Session | null {
    const key = sessionKey(id);
    const session = this.sessions.get(key);
    if (!session) return null;
    // Not written: an expired session is dropped from the backend when it is next loaded.
    if (session.expiresAt <= now) {
      this.sessions.delete(key);
      return null;
    }
    return session;
  }

  async destroy(id: string): Promise<void> {
    const key = sessionKey(id);
    this.sessions.delete(key);
    await this.backend.remove([key]);
  }

  /** Ends every session of `username` but `keepId`; answers the ended ones' keys (their rooms' names). */
  async destroyUser(username: string, keepId: string | null = null): Promise<string[]> {
    const keep = keepId === null ? null : sessionKey(keepId);
    const ended: string[] = [];
    for (const [key, s] of this.sessions) {
      if (key !== keep && s.username.toLowerCase() === username.toLowerCase()) ended.push(key);
    }
    for (const key of ended) this.sessions.delete(key);
    await this.backend.remove(ended);
    return ended;
  }

  get size(): number {
    return this.sessions.size;
  }

  close(): void {
    this.backend.close();
  }

  private sweep(now: number): void {
    for (const [key, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(key);
  }
}
