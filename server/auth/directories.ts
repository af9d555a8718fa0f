/**
 * What the auth service asks of the accounts and tokens it reads, kept either in DATA_DIR files (one
 * node: user-store.ts, tokens.ts) or in Redis (several nodes: user-redis.ts, token-redis.ts).
 * Lookups on a request's path answer from memory; a shared store reads what another node made with
 * `load` first and learns what another node changed from the bus (bus.ts). Writes resolve once they
 * are durable, before the change is answered.
 */
import type { TokenCreateBody, TokenInfo } from '../../shared/auth.js';
import type { User } from './users.js';

export type Awaitable<T> = T | Promise<T>;

export interface UserDirectory {
  /** The account as this node holds it (case-insensitive). */
  get(username: string): User | undefined;
  /** Every account, as stored. */
  list(): Awaitable<User[]>;
  /** Adds an account; false (nothing written) when the username is taken, in any letter case. */
  add(user: User): Awaitable<boolean>;
  /** Changes an account's password hash or disabled flag; null when there is no such account. */
  update(username: string, change: Partial<Pick<User, 'passwordHash' | 'disabled'>>): Awaitable<User | null>;
  /** A shared store: reads the account into memory when this node does not hold it. */
  load?(username: string): Promise<void>;
}

export interface TokenDirectory {
  /** The live (not revoked) token with this secret, as this node holds it; null otherwise. */
  verify(secret: unknown): TokenInfo | null;
  /** Whether the token with this id is held here and not revoked. */
  isLive(id: string): boolean;
  create(body: TokenCreateBody, createdBy: string, now?: number): Awaitable<{ token: string; info: TokenInfo }>;
  list(): Awaitable<TokenInfo[]>;
  find(id: string): Awaitable<TokenInfo | null>;
  /** Revokes a saved token (idempotent); null when no saved token has this id. */
  revoke(id: string, now?: number): Awaitable<TokenInfo | null>;
  /** A shared store: reads the token with this secret into memory when this node does not hold it. */
  load?(secret: string): Promise<void>;
  /** A shared store: `load` by the token's id (a socket's saved state names its token only by it). */
  loadById?(id: string): Promise<void>;
  /** A shared store: `listener` hears of every token another node revoked, once this node has dropped it. */
  onRevokedElsewhere?(listener: (id: string) => void): void;
}
