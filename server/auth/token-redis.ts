/**
 * Wall and device tokens shared by several nodes (REDIS_URL): a token made on one node opens a
 * wall on any, and a revocation on one is refused at the next check on all. Each saved token is a
 * Redis hash under the SHA-256 of its secret — never the secret, which is shown once at creation
 * and kept by the wall alone — holding its listed shape (`info`, JSON) and, once revoked, when
 * (`revokedAt`, set once by HSETNX, so two nodes revoking at once agree on the time). An id's key
 * names the hash, for revoking and for a socket's saved state, which knows its token only by id.
 *
 * A request's token is asked of Redis every time (`load`, as sessions are: session-redis.ts), so
 * no answer rests on a copy in memory that another node has revoked meanwhile; the copy is what
 * `verify` answers from after the ask. A revocation is written, then announced on the auth bus
 * (bus.ts), whose news drop the token here and close its sockets on every node. With Redis out of
 * reach a token is refused with SHARED_UNAVAILABLE (503), not accepted unchecked.
 *
 * Tokens of the configuration (INGEST_TOKENS, DATA_DIR/ingest-token) stay each node's own: they
 * are its configuration, never written to Redis, and verified without it — ingest goes on while
 * Redis is away.
 */
import type { Redis } from 'ioredis';
import { Compile } from 'typebox/compile';
import { TokenInfoSchema, type TokenCreateBody, type TokenInfo } from '../../shared/auth.js';
import { AuthNewsKind, type AuthBus } from './bus.js';
import type { TokenDirectory } from './directories.js';
import { reach } from './reach.js';
import { configuredTokens, info, isSecret, mintToken, tokenHash, type StoredToken } from './tokens.js';

const tokenKey = (hash: string): string => `wmsj:auth:token:${hash}`;
const idKey = (id: string): string => `wmsj:auth:token-id:${id}`;
/** The ids of every saved token, for the admin's list. */
const INDEX = 'wmsj:auth:tokens';
const infoCheck = Compile(TokenInfoSchema);

/** KEYS[1] the id's key; ARGV[1] now, ARGV[2] the token keys' prefix. Answers the token's hash and fields, or nil. */
const REVOKE = `
local hash = redis.call('GET', KEYS[1])
if not hash then return nil end
local key = ARGV[2] .. hash
if redis.call('EXISTS', key) == 0 then return nil end
redis.call('HSETNX', key, 'revokedAt', ARGV[1])
return {hash, redis.call('HGET', key, 'info'), redis.call('HGET', key, 'revokedAt')}
`;

export class RedisTokenStore implements TokenDirectory {
  /** By hash: the configuration's tokens, and the saved ones this node has read. */
  private readonly configured: ReadonlyMap<string, StoredToken>;
  private readonly held = new Map<string, StoredToken>();
  private readonly revokedListeners = new Set<(id: string) => void>();

  constructor(
    private readonly redis: Redis,
    private readonly bus: AuthBus,
    deviceTokens: readonly { secret: string; source: string }[],
  ) {
    this.configured = new Map(configuredTokens(deviceTokens).map((t) => [t.hash, t]));
    bus.onNews((kind, ids) => {
      if (kind === AuthNewsKind.token) for (const id of ids) this.revokedElsewhere(id);
    });
    // News missed while the subscriber was away: every token held here is asked for again.
    bus.onResync(() => {
      for (const t of [...this.held.values()]) {
        this.loadById(t.id).catch(() => this.revokedElsewhere(t.id));
      }
    });
  }

  verify(secret: unknown): TokenInfo | null {
    if (!isSecret(secret)) return null;
    const hash = tokenHash(secret);
    const found = this.configured.get(hash) ?? this.held.get(hash);
    return found && found.revokedAt === null ? info(found) : null;
  }

  isLive(id: string): boolean {
    return this.byId(id)?.revokedAt === null;
  }

  /** Reads the token as Redis holds it now (SHARED_UNAVAILABLE when Redis cannot be asked). */
  async load(secret: string): Promise<void> {
    if (!isSecret(secret)) return;
    const hash = tokenHash(secret);
    if (this.configured.has(hash)) return;
    await this.fetch(hash);
  }

  async loadById(id: string): Promise<void> {
    if (this.configuredById(id)) return;
    const hash = await reach(this.redis, (r) => r.get(idKey(id)));
    if (hash === null) this.drop(id);
    else await this.fetch(hash);
  }

  onRevokedElsewhere(listener: (id: string) => void): void {
    this.revokedListeners.add(listener);
  }

  async create(
    body: TokenCreateBody,
    createdBy: string,
    now = Date.now(),
  ): Promise<{ token: string; info: TokenInfo }> {
    const { token, stored } = mintToken(body, createdBy, now);
    await reach(this.redis, (r) =>
      r
        .multi()
        .hset(tokenKey(stored.hash), 'info', JSON.stringify(info(stored)))
        .set(idKey(stored.id), stored.hash)
        .sadd(INDEX, stored.id)
        .exec(),
    );
    this.held.set(stored.hash, stored);
    return { token, info: info(stored) };
  }

  async list(): Promise<TokenInfo[]> {
    const ids = await reach(this.redis, (r) => r.smembers(INDEX));
    const saved = await Promise.all(ids.map((id) => this.read(id)));
    return [...this.configured.values(), ...saved.filter((t) => t !== null)].map(info);
  }

  async find(id: string): Promise<TokenInfo | null> {
    const found = this.configuredById(id) ?? (await this.read(id));
    return found ? info(found) : null;
  }

  /** Written first, then announced: every node has dropped the token and its sockets before this resolves. */
  async revoke(id: string, now = Date.now()): Promise<TokenInfo | null> {
    const answer = (await reach(this.redis, (r) => r.eval(REVOKE, 1, idKey(id), now, tokenKey('')))) as
      [string, string | null, string | null] | null;
    const stored = answer && parse(answer[0], answer[1], answer[2]);
    if (!stored) return null;
    this.held.set(stored.hash, stored);
    await reach(this.redis, () => this.bus.publish(AuthNewsKind.token, [id]));
    return info(stored);
  }

  /** The saved token with this id as Redis holds it; null when there is none. */
  private async read(id: string): Promise<StoredToken | null> {
    const hash = await reach(this.redis, (r) => r.get(idKey(id)));
    if (hash === null) return null;
    const [text, revokedAt] = await reach(this.redis, (r) => r.hmget(tokenKey(hash), 'info', 'revokedAt'));
    return parse(hash, text ?? null, revokedAt ?? null);
  }

  private async fetch(hash: string): Promise<void> {
    const [text, revokedAt] = await reach(this.redis, (r) => r.hmget(tokenKey(hash), 'info', 'revokedAt'));
    const stored = parse(hash, text ?? null, revokedAt ?? null);
    const before = this.held.get(hash);
    if (stored) this.held.set(hash, stored);
    else this.held.delete(hash);
    // Revoked meanwhile and its news not heard yet: its sockets here close now.
    if (before?.revokedAt === null && stored?.revokedAt !== null) this.announce(before.id);
  }

  /** Another node revoked it: dropped here, so the next request asks Redis; its sockets close. */
  private revokedElsewhere(id: string): void {
    this.drop(id);
    this.announce(id);
  }

  private drop(id: string): void {
    for (const [hash, t] of this.held) if (t.id === id) this.held.delete(hash);
  }

  private announce(id: string): void {
    for (const listener of this.revokedListeners) listener(id);
  }

  private byId(id: string): StoredToken | undefined {
    return this.configuredById(id) ?? [...this.held.values()].find((t) => t.id === id);
  }

  private configuredById(id: string): StoredToken | undefined {
    return [...this.configured.values()].find((t) => t.id === id);
  }
}

function parse(hash: string, text: string | null, revokedAt: string | null): StoredToken | null {
  if (text === null) return null;
  const parsed: unknown = JSON.parse(text);
  if (!infoCheck.Check(parsed)) return null;
  return { ...parsed, revokedAt: revokedAt === null ? null : Number(revokedAt), hash };
}
