/**
 * Long-lived, revocable tokens for walls and devices. Stored in DATA_DIR/tokens.json as SHA-256
 * hashes with their role, scope, label and dates; the secret is shown once, at creation. Tokens
 * from INGEST_TOKENS (or DATA_DIR/ingest-token) join the same model as `device` tokens that live in
 * the configuration, so only the configuration can remove them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { DISTRICT, Role, TokenInfoSchema, type TokenCreateBody, type TokenInfo } from '../../shared/auth.js';
import type { TokenDirectory } from './directories.js';
import { randomSecret, readOrCreate, writePrivate } from './files.js';

const StoredSchema = Type.Array(Type.Intersect([TokenInfoSchema, Type.Object({ hash: Type.String() })]));
export type StoredToken = TokenInfo & { hash: string };
type Stored = StoredToken;
const storedValidator = Compile(StoredSchema);

/** Marks tokens that come from the configuration rather than the admin API. */
export const CONFIGURED_BY = 'config';

/**
 * Tokens are found by their hash. The caller controls the token, not its SHA-256, so how long the
 * lookup takes tells nothing about any stored token: no byte-by-byte comparison to time.
 */
export const tokenHash = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export class TokenStore implements TokenDirectory {
  private readonly byHash = new Map<string, Stored>();

  private constructor(
    private readonly file: string,
    private readonly saved: Stored[],
    configured: readonly Stored[],
  ) {
    for (const t of [...configured, ...saved]) this.byHash.set(t.hash, t);
  }

  /** Loads the saved tokens (a damaged file stops the start) and adds the configured device tokens. */
  static open(file: string, deviceTokens: readonly { secret: string; source: string }[]): TokenStore {
    const saved: unknown = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
    if (!storedValidator.Check(saved)) {
      const problems = [...storedValidator.Errors(saved)].map((e) => `${e.instancePath} ${e.message}`);
      throw new Error(`invalid token file ${file}:\n  ${problems.slice(0, 20).join('\n  ')}`);
    }
    return new TokenStore(file, saved, configuredTokens(deviceTokens));
  }

  /** The live (not revoked) token with this secret, or null. */
  verify(secret: unknown): TokenInfo | null {
    if (!isSecret(secret)) return null;
    const found = this.byHash.get(tokenHash(secret));
    return found && found.revokedAt === null ? info(found) : null;
  }

  create(body: TokenCreateBody, createdBy: string, now = Date.now()): { token: string; info: TokenInfo } {
    const { token, stored } = mintToken(body, createdBy, now);
    this.saved.push(stored);
    this.byHash.set(stored.hash, stored);
    this.save();
    return { token, info: info(stored) };
  }

  list(): TokenInfo[] {
    return [...this.byHash.values()].map(info);
  }

  isLive(id: string): boolean {
    return this.find(id)?.revokedAt === null;
  }

  find(id: string): TokenInfo | null {
    const found = [...this.byHash.values()].find((t) => t.id === id);
    return found ? info(found) : null;
  }

  /** Revokes a saved token at once (idempotent); null when no saved token has this id. */
  revoke(id: string, now = Date.now()): TokenInfo | null {
    const found = this.saved.find((t) => t.id === id);
    if (!found) return null;
    found.revokedAt ??= now;
    this.save();
    return info(found);
  }

  private save(): void {
    writePrivate(this.file, `${JSON.stringify(this.saved, null, 2)}\n`);
  }
}

/** Whether a presented secret can be a token at all (longer ones are not hashed). */
export const isSecret = (secret: unknown): secret is string =>
  typeof secret === 'string' && secret.length > 0 && secret.length <= 256;

/** The device tokens of the configuration, as stored tokens (each node's own: they are its config). */
export function configuredTokens(deviceTokens: readonly { secret: string; source: string }[]): Stored[] {
  return deviceTokens.map(({ secret, source }, i): Stored => ({
    id: `config-${i + 1}`,
    role: Role.device,
    scope: DISTRICT,
    label: source,
    createdAt: 0,
    createdBy: CONFIGURED_BY,
    revokedAt: null,
    hash: tokenHash(secret),
  }));
}

/** A new token: its secret (shown once) and what is kept of it (its hash, never the secret). */
export function mintToken(body: TokenCreateBody, createdBy: string, now: number): { token: string; stored: Stored } {
  const token = `wmsj_${randomSecret(32)}`;
  const stored: Stored = {
    id: `t-${randomBytes(6).toString('hex')}`,
    role: body.role,
    scope: body.scope ?? DISTRICT,
    label: body.label,
    ...(body.dashboard === undefined ? {} : { dashboard: body.dashboard }),
    createdAt: now,
    createdBy,
    revokedAt: null,
    hash: tokenHash(token),
  };
  return { token, stored };
}

/** The listed shape: everything but the hash. */
export const info = (t: Stored): TokenInfo => ({
  id: t.id,
  role: t.role,
  scope: t.scope,
  label: t.label,
  ...(t.dashboard === undefined ? {} : { dashboard: t.dashboard }),
  createdAt: t.createdAt,
  createdBy: t.createdBy,
  revokedAt: t.revokedAt,
});

/** Device tokens from INGEST_TOKENS, or one generated on first start and kept (0600) in DATA_DIR. */
export function configuredDeviceTokens(ingestTokens: string, dataDir: string): { secret: string; source: string }[] {
  const fromEnv = ingestTokens
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  if (fromEnv.length > 0) return fromEnv.map((secret) => ({ secret, source: 'INGEST_TOKENS' }));
  const file = `${dataDir}/ingest-token`;
  return [{ secret: readOrCreate(file, () => randomSecret(24)).value, source: file }];
}
