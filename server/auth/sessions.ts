/**
 * People's sessions: a random id in a signed cookie, the session itself in memory. Kept on the
 * server so logout really ends it (a stateless cookie would stay valid until it expires). A restart
 * signs people out; walls and devices keep working, their tokens are on disk.
 */
import { randomSecret } from './files.js';

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
    this.sessions.set(id, { username, createdAt: now, expiresAt: now + this.ttlMs });
    return id;
  }

  get(id: string, now = Date.now()): Session | null {
    const session = this.sessions.get(id);
    if (!session) return null;
    if (session.expiresAt <= now) {
      this.sessions.delete(id);
      return null;
    }
    return session;
  }

  destroy(id: string): void {
    this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private sweep(now: number): void {
    for (const [id, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(id);
  }
}
