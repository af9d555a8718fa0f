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
 *
 * With a shared backend (several nodes, session-redis.ts) memory holds the sessions this node has
 * been shown: `load` reads one another node made, `forget` ends one another node ended.
 */
import { randomSecret } from './files.js';
import type { SessionBackend, StoredSession } from './session-log.js';
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
/** How long an ended key is remembered, so a read of it already under way cannot bring it back. */
const TOMBSTONE_MS = 60_000;

export class SessionStore {
  private readonly sessions = new Map<string, Session & { timer: NodeJS.Timeout }>();
  private readonly listeners = new Set<(key: string) => void>();
  /** Keys ended lately, with when (insertion order is time order). */
  private readonly tombstones = new Map<string, number>();
  /** Counts resyncs (bus.ts): a read begun before one may predate an end this node never heard of. */
  private resyncs = 0;

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

  /**
   * With a shared backend (several nodes), asks it for the session before a request is answered:
   * one made on another node comes into memory, one ended on another node ends here too, even
   * before the news of it arrives (bus.ts) — so no answer rests on a session that has ended. When
   * the backend cannot be asked (Redis out of reach), what memory holds stands: no session can end
   * meanwhile, since ending one writes the backend first. Nothing on one node.
   */
  async load(id: string): Promise<void> {
    await this.loadKey(sessionKey(id));
  }

  /** `load` by the session's key (a socket's saved state names its session only by it). */
  async loadKey(key: string): Promise<void> {
    const fetch = this.backend.fetch?.bind(this.backend);
    if (!fetch) return;
    const started = this.clock();
    const resyncs = this.resyncs;
    let stored: StoredSession | null;
    try {
      stored = await fetch(key);
    } catch {
      return;
    }
    const now = this.clock();
    if (stored === null || stored.expiresAt <= now) {
      this.end(key);
      return;
    }
    // Not brought in when it ended while it was being read, or news may have been missed meanwhile.
    if (this.sessions.has(key) || resyncs !== this.resyncs) return;
    if ((this.tombstones.get(key) ?? -Infinity) >= started) return;
    const session = { username: stored.username, createdAt: stored.createdAt, expiresAt: stored.expiresAt };
    this.sessions.set(key, { ...session, timer: this.arm(key, stored.expiresAt - now) });
  }

  /** Sessions another node ended: ended here too (their sockets close), nothing written. */
  forget(keys: readonly string[]): void {
    for (const key of keys) this.end(key);
  }

  /** After missed news (bus.ts): every session held here is asked for again; those gone end here too. */
  async revalidate(): Promise<void> {
    this.resyncs += 1;
    await Promise.all([...this.sessions.keys()].map((key) => this.loadKey(key)));
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
    // A shared backend also knows the sessions made on other nodes, which this one may never have seen.
    const elsewhere = this.backend.keysOf ? await this.backend.keysOf(name) : [];
    for (const key of elsewhere) {
      if (key === keep || ended.includes(key)) continue;
      this.end(key);
      ended.push(key);
    }
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

  private remember(key: string): void {
    const now = this.clock();
    this.tombstones.delete(key);
    this.tombstones.set(key, now);
    for (const [k, at] of this.tombstones) {
      if (at > now - TOMBSTONE_MS) break;
      this.tombstones.delete(k);
    }
  }

  private end(key: string): void {
    const session = this.sessions.get(key);
    if (!session) {
      // Ended elsewhere before this node read it: a read already under way must not bring it back.
      this.remember(key);
      return;
    }
    clearTimeout(session.timer);
    this.sessions.delete(key);
    this.remember(key);
    for (const listener of this.listeners) listener(key);
  }
}
