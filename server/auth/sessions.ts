/**
 * People's sessions: a random id in a signed cookie, the session itself on the server, found by the
 * id's SHA-256 (the same hash names the session's socket room, so ending a session found by its
 * user still reaches its sockets). Kept on the server so logout really ends it (a stateless cookie
 * would stay valid until it expires). A restart signs people out; walls and devices keep working,
 * their tokens are on disk.
 */
import { randomSecret } from './files.js';
import { tokenHash } from './tokens.js';

export interface Session {
  username: string;
  createdAt: number;
  expiresAt: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly ttlMs: number) {}

  create(username: string, now = Date.now()): string {
    this.sweep(now);
    const id = randomSecret(32);
    this.sessions.set(tokenHash(id), { username, createdAt: now, expiresAt: now + this.ttlMs });
    return id;
  }

  get(id: string, now = Date.now()): Session | null {
    const hash = tokenHash(id);
    const session = this.sessions.get(hash);
    if (!session) return null;
    if (session.expiresAt <= now) {
      this.sessions.delete(hash);
      return null;
    }
    return session;
  }

  destroy(id: string): void {
    this.sessions.delete(tokenHash(id));
  }

  /** Ends every session of `username` but `keepId`; answers the ended ones' hashes (their rooms' names). */
  destroyUser(username: string, keepId: string | null = null): string[] {
    const keep = keepId === null ? null : tokenHash(keepId);
    const ended: string[] = [];
    for (const [hash, s] of this.sessions) {
      if (hash !== keep && s.username.toLowerCase() === username.toLowerCase()) ended.push(hash);
    }
    for (const hash of ended) this.sessions.delete(hash);
    return ended;
  }

  get size(): number {
    return this.sessions.size;
  }

  private sweep(now: number): void {
    for (const [hash, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(hash);
  }
}
