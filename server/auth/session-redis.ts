/**
 * People's sessions shared by several nodes (REDIS_URL): one Redis hash per session under its key —
 * the hash of its id, never the id, which stays in the cookie alone — expiring with the session, and
 * one set per user naming its sessions, so that disabling an account on one node finds the sessions
 * made on every other. An ended session is deleted, then announced (bus.ts) so that every node
 * drops it from memory and closes its sockets before the logout is answered. Redis runs append-only
 * (deploy/), so neither a node's restart nor Redis's signs anybody out.
 */
import type { Redis } from 'ioredis';
import { AuthNewsKind, type AuthBus } from './bus.js';
import { reach } from './reach.js';
import type { SessionBackend, StoredSession } from './session-log.js';

const sessionRedisKey = (key: string): string => `wmsj:auth:session:${key}`;
const userIndexKey = (username: string): string => `wmsj:auth:user-sessions:${username.toLowerCase()}`;

export class RedisSessionBackend implements SessionBackend {
  constructor(
    private readonly redis: Redis,
    private readonly bus: AuthBus,
  ) {}

  /** Nothing is loaded at start: each node reads a session the first time it is shown one. */
  load(): StoredSession[] {
    return [];
  }

  async put(session: StoredSession): Promise<void> {
    const index = userIndexKey(session.username);
    // Sessions all last as long, so the newest expires last and the index may expire with it.
    await this.redis
      .multi()
      .hset(sessionRedisKey(session.key), {
        username: session.username,
        createdAt: session.createdAt,
        expiresAt: session.expiresAt,
      })
      .pexpireat(sessionRedisKey(session.key), session.expiresAt)
      .sadd(index, session.key)
      .pexpireat(index, session.expiresAt)
      .exec();
  }

  async remove(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.redis.del(...keys.map(sessionRedisKey));
    await this.bus.publish(AuthNewsKind.session, keys);
  }

  /**
   * Throws at once when Redis is out of reach, or after a deadline when a read sent as it went away
   * waits for a reconnection (reach.ts): the store then keeps what it holds.
   */
  async fetch(key: string): Promise<StoredSession | null> {
    const found = await reach(this.redis, (r) => r.hgetall(sessionRedisKey(key)));
    const createdAt = Number(found['createdAt']);
    const expiresAt = Number(found['expiresAt']);
    const username = found['username'];
    if (!username || !Number.isInteger(createdAt) || !Number.isInteger(expiresAt)) return null;
    return { key, username, createdAt, expiresAt };
  }

  async keysOf(username: string): Promise<string[]> {
    const index = userIndexKey(username);
    const keys = await this.redis.smembers(index);
    if (keys.length === 0) return [];
    // Expired sessions leave their key in the index; only the ones still there count.
    const exists = await Promise.all(keys.map((key) => this.redis.exists(sessionRedisKey(key))));
    const gone = keys.filter((_, i) => exists[i] === 0);
    if (gone.length > 0) await this.redis.srem(index, ...gone);
    return keys.filter((_, i) => exists[i] === 1);
  }

  close(): void {
    // The connection is the app's (plugins/external/redis.ts), closed with it.
  }
}

/**
 * The cookie secret when SESSION_SECRET is empty on several nodes: the first node to start makes one
 * (SET NX) and every node reads that one, so a cookie signed at any node verifies at all of them, as
 * DATA_DIR/session-secret does for one node. It adds no reader: whoever reads this Redis already
 * holds every session and account in it.
 */
export async function sharedSessionSecret(redis: Redis, make: () => string): Promise<string> {
  const key = 'wmsj:auth:session-secret';
  await redis.set(key, make(), 'NX');
  const secret = await redis.get(key);
  if (secret === null) throw new Error(`${key} vanished as it was set`);
  return secret;
}
